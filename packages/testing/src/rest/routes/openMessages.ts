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
  const violation = deps.replies.authorize({
    scene,
    target,
    msgId: optionalString(body, 'msg_id'),
    eventId: optionalString(body, 'event_id'),
    msgSeq,
  });
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
  });
  return ok({ id, timestamp: isoTimestamp(now) });
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
