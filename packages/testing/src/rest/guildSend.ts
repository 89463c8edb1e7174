import { ErrorCode } from './errorCodes.js';
import { createBotGuildMessage, type GuildMessageTarget } from './botMessages.js';
import { bodyObject, optionalString } from './fields.js';
import type { RestDeps } from './RestDeps.js';
import { RestError } from './RestError.js';
import { ok, type RestRequest, type RestResult } from './Router.js';
import { checkGuildContent } from './rules/contentRules.js';
import { replyError } from './rules/replyErrors.js';

/**
 * A guild channel or DM send, checked in the platform's order: content, the channel's
 * 5-per-second limit, the reply rules, then audit mode (202) or the created message (200).
 */
export function sendGuildMessage(
  deps: RestDeps,
  target: GuildMessageTarget,
  request: RestRequest,
): RestResult {
  const body = bodyObject(request.body);
  const fileImage = request.files.find((file) => file.field === 'file_image');
  // The send pages document no `file_image` (docs/protocol.md §8.10), so no answer to an empty one
  // either: the emulator takes a part with no bytes for the malformed form it is (50035
  // InvalidFormBody, "form-data 内容异常" in the error table), as it refuses an empty upload.
  if (fileImage?.size === 0)
    throw new RestError(400, ErrorCode.InvalidFormBody, 'file_image is empty (0 bytes)');
  const hasFileImage = fileImage !== undefined;
  checkGuildContent(body, hasFileImage);
  deps.richContent.check(body);
  if (!deps.rate.tryAcquire(target.channelId)) {
    throw new RestError(
      429,
      ErrorCode.MessageRateLimited,
      'msg limit exceed: at most 5 messages per second per channel',
    );
  }
  const violation = deps.replies.authorize({
    scene: target.scene,
    target: target.target,
    msgId: optionalString(body, 'msg_id'),
    eventId: optionalString(body, 'event_id'),
    guildId: target.guildId,
  });
  if (violation) throw replyError(violation, target.scene);

  if (deps.audits.enabled) {
    const auditId = deps.ids.opaque();
    deps.audits.hold({
      auditId,
      scene: target.scene,
      guildId: target.guildId,
      channelId: target.channelId,
      target: target.target,
      body,
      files: request.files,
      createdAt: Date.now(),
    });
    return {
      status: 202,
      body: {
        code: ErrorCode.ReplyAuditPending,
        message: 'reply message is accepted and waits for audit',
        data: { message_audit: { audit_id: auditId } },
      },
    };
  }
  return ok(createBotGuildMessage(deps.world, deps.ids, target, body, request.files));
}

/** The recall rule: only the bot's own messages, within 2 minutes. */
export const RECALL_WINDOW_MS = 2 * 60_000;

/**
 * Recalls (deletes) a message of `scene`/`target`, enforcing the recall rule.
 */
export function recallMessage(
  deps: RestDeps,
  scene: 'guild' | 'dm' | 'group' | 'c2c',
  target: string,
  messageId: string,
  query: Record<string, string>,
): RestResult {
  const hidetip = query['hidetip'];
  if (hidetip !== undefined && hidetip !== 'true' && hidetip !== 'false') {
    throw new RestError(400, ErrorCode.RequestInvalid, 'query "hidetip" must be true or false');
  }
  const message = deps.world.messages.find(messageId, scene, target);
  if (!message) throw new RestError(404, ErrorCode.RecallMsgIdInvalid, `unknown message ${messageId}`);
  if (!message.fromBot)
    throw new RestError(403, ErrorCode.RecallNotPermitted, "only the bot's own messages can be recalled");
  if (Date.now() - message.createdAt > RECALL_WINDOW_MS) {
    throw new RestError(
      403,
      ErrorCode.RecallNotPermitted,
      'messages older than 2 minutes cannot be recalled',
    );
  }
  deps.world.messages.delete(messageId);
  return { status: 200, body: {} };
}
