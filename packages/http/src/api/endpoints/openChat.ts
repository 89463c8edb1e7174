import {
  MediaFileType,
  type MediaUploadBody,
  type MediaUploadResult,
  type OpenMessageResult,
  optionalBoolean,
  requireExactlyOne,
  requireId,
  requireObject,
  requireOneOf,
} from '@bot/core';
import { prepareOpenMessage, type OpenMessageInput } from '../../messages/prepare.js';
import { endpoint, type RequestParts } from '../endpoint.js';
import type { OpenChatRoutes } from '../OpenChatApi.js';

const FILE_TYPES = Object.values(MediaFileType);

/**
 * The endpoints of one kind of open chat: groups and C2C users share bodies on parallel routes.
 *
 * @param routes - the kind's route templates and the names of its chat id
 */
export function openChatEndpoints(routes: OpenChatRoutes) {
  const fields = { [routes.targetParam]: routes.targetField };
  return {
    send: endpoint('POST', routes.messages, {
      fields,
      request: openMessageBody,
      auditable: true,
      messageField: 'params',
    }).returns<OpenMessageResult>(),
    upload: endpoint('POST', routes.files, { fields, request: uploadBody }).returns<MediaUploadResult>(),
    recall: endpoint('DELETE', routes.message, { fields }),
  };
}

function openMessageBody(params: OpenMessageInput): RequestParts {
  return { body: prepareOpenMessage(params, 'params') };
}

function uploadBody(body: MediaUploadBody): RequestParts {
  validateUpload(body, 'body');
  // The docs mark srv_send_msg required; leaving it out relied on an undocumented default.
  return { body: { ...body, srv_send_msg: body.srv_send_msg ?? false } };
}

/**
 * Checks a media upload: a known `file_type`, and exactly one of `url` and `file_data`.
 *
 * @param body - the upload
 * @param field - the caller's name for it
 */
export function validateUpload(body: MediaUploadBody, field: string): void {
  requireObject(body, field);
  requireOneOf(body.file_type, `${field}.file_type`, FILE_TYPES);
  requireExactlyOne(['url', body.url], ['file_data', body.file_data], field);
  if (body.url !== undefined) requireId(body.url, `${field}.url`);
  if (body.file_data !== undefined) requireId(body.file_data, `${field}.file_data`);
  optionalBoolean(body.srv_send_msg, `${field}.srv_send_msg`);
}
