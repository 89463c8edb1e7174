import type { JsonObject } from '../../util/guards.js';
import { emulatorNow } from '../../util/emulatorClock.js';
import type { Scene } from '../../state/MessageStore.js';
import { isoTimestamp } from '../../util/time.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalObject, optionalString } from '../fields.js';
import { recallMessage } from '../guildSend.js';
import { requireC2CUser, requireGroup } from '../lookups.js';
import type { RestDeps, RouteModule } from '../RestDeps.js';
import { RestError, invalidField } from '../RestError.js';
import { ok, type RestRequest, type RestResult } from '../Router.js';
import { checkOpenContent, MsgType } from '../rules/contentRules.js';
import { replyError } from '../rules/replyErrors.js';
import { checkOneCallSize, completeUpload } from './chunkedUploads.js';

/**
 * A group or C2C send: content by msg_type, media referencing an upload for this conversation,
 * then the reply rules (msg_id/event_id, window, 5 replies, msg_seq dedupe).
 */
function sendOpenMessage(
  deps: RestDeps,
  scene: Extract<Scene, 'group' | 'c2c'>,
  target: string,
  request: RestRequest,
): RestResult {
  const body = bodyObject(request.body);
  if (scene === 'c2c' && (body['msg_type'] === INPUT_NOTIFY_TYPE || body['msg_type'] === '6'))
    return sendInputNotify(deps, target, body);
  const msgType = checkOpenContent(body);
  deps.richContent.check(body);
  if (msgType === MsgType.Media) {
    const media = optionalObject(body, 'media');
    const fileInfo = media && optionalString(media, 'file_info');
    if (!fileInfo) throw invalidField('media.file_info', 'is required when msg_type is 7');
    const upload = deps.world.open.media(fileInfo);
    if (!upload || upload.scene !== scene || upload.target !== target) {
      throw invalidField('media.file_info', 'does not name a file uploaded to this conversation');
    }
    if (emulatorNow() > upload.expiresAt)
      throw invalidField('media.file_info', 'expired: upload the file again');
  }
  const msgSeq = optionalInteger(body, 'msg_seq');
  if (msgSeq !== undefined && msgSeq < 1) throw invalidField('msg_seq', 'must be a positive integer');
  const msgId = optionalString(body, 'msg_id');
  const eventId = optionalString(body, 'event_id');
  const wakeup = body['is_wakeup'];
  if (wakeup !== undefined && typeof wakeup !== 'boolean')
    throw invalidField('is_wakeup', 'must be a boolean');
  if (wakeup === true && scene !== 'c2c') throw invalidField('is_wakeup', 'is only for C2C messages');
  // A wakeup without a reply anchor rides on the user's last message (30 days); with one it is a reply.
  const violation =
    wakeup === true && !msgId && !eventId
      ? deps.replies.authorizeWakeup(target)
      : deps.replies.authorize({ scene, target, msgId, eventId, msgSeq });
  if (violation) throw replyError(violation, scene);

  const now = Date.now();
  const id = deps.ids.openMessageId();
  deps.world.messages.add({
    id,
    scene,
    target,
    fromBot: true,
    createdAt: now,
    content: typeof body['content'] === 'string' ? body['content'] : '',
    ...(body['keyboard'] !== undefined ? { keyboard: body['keyboard'] } : {}),
  });
  return ok({ id, timestamp: isoTimestamp(now) });
}

/** `msg_type` of a C2C typing notice (`input_notify`). */
const INPUT_NOTIFY_TYPE = 6;

/** Longest typing notice the emulator accepts, in seconds (the official SDK's default; no docs page). */
export const MAX_INPUT_SECOND = 60;

/**
 * A C2C typing notice (`msg_type` 6, `input_notify: { input_type: 1, input_second }`): anchored
 * like a reply and taking its `msg_seq`, but not stored and not counted among the 5 replies.
 */
function sendInputNotify(deps: RestDeps, target: string, body: JsonObject): RestResult {
  const notify = optionalObject(body, 'input_notify');
  if (!notify) throw invalidField('input_notify', 'is required when msg_type is 6');
  if (notify['input_type'] !== 1) throw invalidField('input_notify.input_type', 'must be 1 (typing)');
  const seconds = notify['input_second'];
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_INPUT_SECOND)
    throw invalidField('input_notify.input_second', `must be an integer from 1 to ${MAX_INPUT_SECOND}`);
  const msgSeq = optionalInteger(body, 'msg_seq');
  if (msgSeq !== undefined && msgSeq < 1) throw invalidField('msg_seq', 'must be a positive integer');
  const violation = deps.replies.authorizeTyping({
    scene: 'c2c',
    target,
    msgId: optionalString(body, 'msg_id'),
    eventId: optionalString(body, 'event_id'),
    msgSeq,
  });
  if (violation) throw replyError(violation, 'c2c');
  return ok({ timestamp: isoTimestamp(Date.now()) });
}

/** Group and C2C messages: send and recall. */
export const openMessageRoutes: RouteModule = (router, deps) => {
  const { world } = deps;

  router.add('POST /v2/groups/{group_openid}/messages', (request) => {
    const group = requireGroup(world, request.params['group_openid'] ?? '');
    return sendOpenMessage(deps, 'group', group.groupOpenid, request);
  });

  router.add('POST /v2/users/{openid}/messages', (request) => {
    const user = requireC2CUser(world, request.params['openid'] ?? '');
    return sendOpenMessage(deps, 'c2c', user.userOpenid, request);
  });

  router.add('DELETE /v2/groups/{group_openid}/messages/{message_id}', ({ params, query }) => {
    const group = requireGroup(world, params['group_openid'] ?? '');
    return recallMessage(deps, 'group', group.groupOpenid, params['message_id'] ?? '', query);
  });

  router.add('DELETE /v2/users/{openid}/messages/{message_id}', ({ params, query }) => {
    const user = requireC2CUser(world, params['openid'] ?? '');
    return recallMessage(deps, 'c2c', user.userOpenid, params['message_id'] ?? '', query);
  });
};

/** How long an uploaded file_info stays usable, in seconds (reported as `ttl`). */
export const MEDIA_TTL_SECONDS = 3600;

/** File types of rich-media uploads: image, video, voice (silk), file. */
const FILE_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4]);

/** Rich-media uploads for group and C2C messages. */
export const mediaRoutes: RouteModule = (router, deps) => {
  const { world, ids } = deps;
  const upload = (scene: 'group' | 'c2c', target: string, raw: unknown): RestResult => {
    const body = bodyObject(raw);
    // With `upload_id` the call completes a chunked upload (docs/protocol.md §8.8).
    if (body['upload_id'] !== undefined) return completeUpload(deps, scene, target, body, MEDIA_TTL_SECONDS);
    const fileType = optionalInteger(body, 'file_type');
    if (fileType === undefined || !FILE_TYPES.has(fileType))
      throw invalidField('file_type', 'must be 1 (image), 2 (video), 3 (voice) or 4 (file)');
    const url = optionalString(body, 'url');
    const fileData = optionalString(body, 'file_data');
    if (!url && !fileData) throw invalidField('url', 'or "file_data" is required');
    if (url && !/^https?:\/\/[^\s]+$/i.test(url))
      throw new RestError(400, ErrorCode.MediaFetchFailed, 'upload media info fail: url must be http(s)');
    if (fileData && !/^[A-Za-z0-9+/]+={0,2}$/.test(fileData))
      throw invalidField('file_data', 'must be base64');
    if (fileData) checkOneCallSize(fileType, Buffer.byteLength(fileData, 'base64'));
    if (body['srv_send_msg'] === true) {
      // srv_send_msg sends without a reply target, i.e. proactively, which the platform no longer allows.
      throw new RestError(
        400,
        ErrorCode.ProactiveNotAllowed,
        'srv_send_msg sends a proactive message, which is not allowed',
      );
    }
    const fileUuid = ids.opaque();
    const fileInfo = Buffer.from(`${scene}:${target}:${fileUuid}`).toString('base64url');
    world.open.addMedia({
      fileInfo,
      fileUuid,
      fileType,
      scene,
      target,
      expiresAt: emulatorNow() + MEDIA_TTL_SECONDS * 1000,
    });
    return ok({ file_uuid: fileUuid, file_info: fileInfo, ttl: MEDIA_TTL_SECONDS });
  };

  router.add('POST /v2/groups/{group_openid}/files', ({ params, body }) => {
    const group = requireGroup(world, params['group_openid'] ?? '');
    return upload('group', group.groupOpenid, body);
  });

  router.add('POST /v2/users/{openid}/files', ({ params, body }) => {
    const user = requireC2CUser(world, params['openid'] ?? '');
    return upload('c2c', user.userOpenid, body);
  });
};
