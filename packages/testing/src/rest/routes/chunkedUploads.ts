import { emulatorNow } from '../../util/emulatorClock.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalString, requiredString } from '../fields.js';
import { requireC2CUser, requireGroup } from '../lookups.js';
import type { RestDeps, RouteModule } from '../RestDeps.js';
import { invalidField, RestError } from '../RestError.js';
import { ok, type RestResult } from '../Router.js';
import {
  MAX_ONE_CALL_BYTES,
  PART_NOT_READY_CODE,
  SIZE_CAPS,
  typeName,
  UPLOAD_QUOTA_CODE,
} from '../../uploads/uploadLimits.js';
import { createHash } from 'node:crypto';
import type { UploadSession } from '../../uploads/UploadSession.js';
import { expectedPartSize } from '../../uploads/UploadSession.js';
import type { JsonObject } from '../../util/guards.js';

type Scene = 'group' | 'c2c';

const HEX_MD5 = /^[0-9a-f]{32}$/i;
const HEX_SHA1 = /^[0-9a-f]{40}$/i;

/**
 * Refuses a file over its type's cap (docs/protocol.md §8.8).
 *
 * @param fileType - 1 image, 2 video, 3 voice, 4 file
 * @param size - bytes
 */
export function checkMediaSize(fileType: number, size: number): void {
  const cap = SIZE_CAPS.get(fileType);
  if (cap !== undefined && size > cap)
    throw new RestError(
      400,
      ErrorCode.RequestInvalid,
      `${typeName(fileType)} of ${size} bytes exceeds the ${cap}-byte cap`,
    );
}

/**
 * Refuses `file_data` of a one-call upload over its type's cap, or over the 20 MiB a `files`
 * call carries whatever the type (docs/protocol.md §8.8).
 *
 * @param fileType - 1 image, 2 video, 3 voice, 4 file
 * @param size - bytes, decoded
 */
export function checkOneCallSize(fileType: number, size: number): void {
  checkMediaSize(fileType, size);
  if (size > MAX_ONE_CALL_BYTES)
    throw new RestError(
      400,
      ErrorCode.RequestInvalid,
      `file_data of ${size} bytes is over the one-call upload limit of ${MAX_ONE_CALL_BYTES} bytes: upload it in parts (upload_prepare)`,
    );
}

function prepare(deps: RestDeps, scene: Scene, target: string, raw: unknown): RestResult {
  const body = bodyObject(raw);
  const fileType = optionalInteger(body, 'file_type');
  if (fileType === undefined || !SIZE_CAPS.has(fileType))
    throw invalidField('file_type', 'must be 1 (image), 2 (video), 3 (voice) or 4 (file)');
  const fileSize = optionalInteger(body, 'file_size');
  if (fileSize === undefined || fileSize < 1) throw invalidField('file_size', 'must be a positive integer');
  checkMediaSize(fileType, fileSize);
  const md5 = requiredString(body, 'md5');
  if (!HEX_MD5.test(md5)) throw invalidField('md5', 'must be a hex MD5');
  if (!HEX_SHA1.test(requiredString(body, 'sha1'))) throw invalidField('sha1', 'must be a hex SHA-1');
  if (!HEX_MD5.test(requiredString(body, 'md5_10m'))) throw invalidField('md5_10m', 'must be a hex MD5');
  const fileName = optionalString(body, 'file_name') ?? 'file';
  const opened = deps.uploads.open({ scene, target, fileType, fileName, fileSize, md5 });
  if (opened === undefined) throw new RestError(400, UPLOAD_QUOTA_CODE, 'the daily upload quota is used up');
  const { session, urls } = opened;
  const settings = deps.uploads.settings;
  return ok({
    upload_id: session.uploadId,
    block_size: String(session.blockSize),
    parts: urls.map((url, position) => ({
      index: session.firstIndex + position,
      presigned_url: url,
      block_size: String(expectedPartSize(session, session.firstIndex + position)),
    })),
    concurrency: settings.concurrency,
    retry_timeout: settings.retryTimeout,
  });
}

/** The open upload named by `upload_id`, if it belongs to this chat. */
function sessionOf(deps: RestDeps, scene: Scene, target: string, body: JsonObject): UploadSession {
  const uploadId = requiredString(body, 'upload_id');
  const session = deps.uploads.session(uploadId);
  if (session === undefined || session.scene !== scene || session.target !== target)
    throw invalidField('upload_id', 'does not name an open upload of this chat');
  return session;
}

function finishPart(deps: RestDeps, scene: Scene, target: string, raw: unknown): RestResult {
  const body = bodyObject(raw);
  const session = sessionOf(deps, scene, target, body);
  const index = optionalInteger(body, 'part_index');
  if (index === undefined || expectedPartSize(session, index) === undefined)
    throw invalidField('part_index', `must be a part of upload ${session.uploadId}`);
  const part = session.parts.get(index);
  if (part === undefined) throw invalidField('part_index', `part ${index} was never stored: PUT it first`);
  if (deps.uploads.takeNotReady())
    throw new RestError(400, PART_NOT_READY_CODE, `part ${index} is not registered yet: ask again shortly`);
  if (optionalInteger(body, 'block_size') !== part.size)
    throw invalidField('block_size', `must be ${part.size}, the size stored for part ${index}`);
  if (optionalString(body, 'md5')?.toLowerCase() !== part.md5)
    throw invalidField('md5', `does not match the bytes stored for part ${index}`);
  part.finished = true;
  return ok({});
}

/**
 * Completion of a chunked upload (`POST …/files` with `upload_id`): every part stored and
 * reported, sizes adding up to `file_size`; the upload becomes a `file_info` like any other.
 *
 * @param deps - the route dependencies
 * @param scene - group or C2C
 * @param target - the chat's openid
 * @param body - the request body
 * @param ttlSeconds - how long the `file_info` stays valid
 */
export function completeUpload(
  deps: RestDeps,
  scene: Scene,
  target: string,
  body: JsonObject,
  ttlSeconds: number,
): RestResult {
  const session = sessionOf(deps, scene, target, body);
  const fault = deps.uploads.takeCompletionFailure();
  if (fault !== undefined && !fault.landed)
    throw new RestError(fault.status, fault.status, 'injected completion failure');
  let total = 0;
  const whole = createHash('md5');
  for (let index = session.firstIndex; index < session.firstIndex + session.partCount; index++) {
    const part = session.parts.get(index);
    if (part === undefined || !part.finished)
      throw invalidField('upload_id', `part ${index} of ${session.partCount} is not stored and finished`);
    total += part.size;
    whole.update(part.bytes);
  }
  if (total !== session.fileSize)
    throw invalidField('upload_id', `parts add up to ${total} bytes, not the ${session.fileSize} prepared`);
  const md5 = whole.digest('hex');
  if (md5 !== session.md5.toLowerCase())
    throw invalidField(
      'upload_id',
      `the parts' MD5 ${md5} is not the md5 ${session.md5} upload_prepare stated`,
    );
  deps.uploads.close(session.uploadId);
  const fileUuid = deps.ids.opaque();
  const fileInfo = Buffer.from(`${scene}:${target}:${fileUuid}`).toString('base64url');
  deps.world.open.addMedia({
    fileInfo,
    fileUuid,
    fileType: session.fileType,
    scene,
    target,
    expiresAt: emulatorNow() + ttlSeconds * 1000,
  });
  // The work is done; only the answer is lost, as when a proxy times out after the platform.
  if (fault !== undefined) throw new RestError(fault.status, fault.status, 'injected completion failure');
  return ok({ file_uuid: fileUuid, file_info: fileInfo, ttl: ttlSeconds });
}

/** `upload_prepare` and `upload_part_finish` of groups and C2C users. */
export const chunkedUploadRoutes: RouteModule = (router, deps) => {
  const group = (id: string | undefined): string => requireGroup(deps.world, id ?? '').groupOpenid;
  const user = (id: string | undefined): string => requireC2CUser(deps.world, id ?? '').userOpenid;
  router.add('POST /v2/groups/{group_openid}/upload_prepare', ({ params, body }) =>
    prepare(deps, 'group', group(params['group_openid']), body),
  );
  router.add('POST /v2/users/{openid}/upload_prepare', ({ params, body }) =>
    prepare(deps, 'c2c', user(params['openid']), body),
  );
  router.add('POST /v2/groups/{group_openid}/upload_part_finish', ({ params, body }) =>
    finishPart(deps, 'group', group(params['group_openid']), body),
  );
  router.add('POST /v2/users/{openid}/upload_part_finish', ({ params, body }) =>
    finishPart(deps, 'c2c', user(params['openid']), body),
  );
};
