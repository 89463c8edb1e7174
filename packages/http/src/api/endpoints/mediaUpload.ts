import type { MediaFileType, MediaUploadResult } from '@bot/core';
import { endpoint, type RequestParts } from '../endpoint.js';

// The chunked media upload of groups and C2C users (docs/protocol.md §8.8), and the one-call
// `files` upload with the fields it takes besides `MediaUploadBody`'s.

/** Route templates of the media uploads of one kind of open chat. */
export interface MediaUploadRoutes {
  /** `POST`: one-call upload (`url` or `file_data`), and completion of a chunked one (`upload_id`). */
  readonly files: string;
  /** `POST`: starts a chunked upload. */
  readonly prepare: string;
  /** `POST`: reports one stored part. */
  readonly partFinish: string;
  /** Placeholder naming the chat (`group_openid`, `openid`). */
  readonly targetParam: string;
  /** The caller's name for the chat id, in errors. */
  readonly targetField: string;
}

/** Media upload routes of QQ groups. */
export const GroupMediaRoutes: MediaUploadRoutes = {
  files: '/v2/groups/{group_openid}/files',
  prepare: '/v2/groups/{group_openid}/upload_prepare',
  partFinish: '/v2/groups/{group_openid}/upload_part_finish',
  targetParam: 'group_openid',
  targetField: 'groupOpenid',
};

/** Media upload routes of C2C users. */
export const UserMediaRoutes: MediaUploadRoutes = {
  files: '/v2/users/{openid}/files',
  prepare: '/v2/users/{openid}/upload_prepare',
  partFinish: '/v2/users/{openid}/upload_part_finish',
  targetParam: 'openid',
  targetField: 'openid',
};

/** Body of `upload_prepare`. */
export interface UploadPrepareBody {
  file_type: MediaFileType;
  file_name: string;
  /** Bytes. */
  file_size: number;
  /** Hex MD5 of the file. */
  md5: string;
  /** Hex SHA-1 of the file. */
  sha1: string;
  /** Hex MD5 of the first 10,002,432 bytes. */
  md5_10m: string;
}

/** One part of an `upload_prepare` answer. */
export interface UploadPreparePart {
  /** The part's number (the SDK counts from 1). */
  index: number;
  /** Where to `PUT` the part's bytes; signed, so no `Authorization` is sent. */
  presigned_url: string;
  /** The part's size, when the platform states it (a number or a decimal string). */
  block_size?: number | string;
}

/** The answer to `upload_prepare`, as received: checked by `readUploadPlan` before use. */
export interface UploadPrepareAnswer {
  upload_id: string;
  /** Bytes per part (a number or a decimal string). */
  block_size: number | string;
  parts: UploadPreparePart[];
  /** Parts to upload at once. */
  concurrency?: number | string;
  /** Seconds to keep retrying `upload_part_finish` while the platform is not ready. */
  retry_timeout?: number | string;
  /** The same settings, nested, as some answers carry them. */
  upload_config?: { concurrency?: number | string; retry_timeout?: number | string };
}

/** Body of `upload_part_finish`. */
export interface UploadPartFinishBody {
  upload_id: string;
  /** The part's `index` from `upload_prepare`. */
  part_index: number;
  /** The part's size in bytes. */
  block_size: number;
  /** Hex MD5 of the part. */
  md5: string;
}

/** Body of the one-call upload as this client sends it: bytes inline, or a URL. */
export interface PlainUploadBody {
  file_type: MediaFileType;
  url?: string | undefined;
  file_data?: string | undefined;
  /** Sent for `file_type` 4 (file). */
  file_name?: string | undefined;
  srv_send_msg: false;
}

function json<Body>(body: Body): RequestParts {
  return { body };
}

/**
 * The upload endpoints of one kind of open chat. Bodies are built by the uploader from checked
 * values, so the declarations only carry them.
 *
 * @param routes - the kind's templates
 */
export function mediaUploadEndpoints(routes: MediaUploadRoutes) {
  const fields = { [routes.targetParam]: routes.targetField };
  return {
    plain: endpoint('POST', routes.files, {
      fields,
      request: json<PlainUploadBody>,
    }).returns<MediaUploadResult>(),
    prepare: endpoint('POST', routes.prepare, {
      fields,
      request: json<UploadPrepareBody>,
    }).returns<UploadPrepareAnswer>(),
    partFinish: endpoint('POST', routes.partFinish, { fields, request: json<UploadPartFinishBody> }),
    complete: endpoint('POST', routes.files, {
      fields,
      request: json<{ upload_id: string }>,
    }).returns<MediaUploadResult>(),
  };
}
