import type { Scene } from '../../state/MessageStore.js';
import { ErrorCode } from '../errorCodes.js';
import { RestError } from '../RestError.js';
import type { ReplyViolation } from './ReplyLedger.js';

/**
 * The platform's answer to a send the reply rules refused; guild scenes use the 3040xx family for a
 * `msg_id`, every scene the 4003402x codes for an `event_id`.
 */
export function replyError(violation: ReplyViolation, scene: Scene): RestError {
  const guildScene = scene === 'guild' || scene === 'dm';
  switch (violation) {
    case 'proactive':
      return new RestError(
        400,
        ErrorCode.ProactiveNotAllowed,
        'proactive messages are not allowed: pass msg_id or event_id',
      );
    case 'unknown-msg':
      return guildScene
        ? new RestError(400, ErrorCode.GuildMsgIdInvalid, 'msg_id does not name a message of this channel')
        : new RestError(400, ErrorCode.MsgIdInvalid, 'msg_id is invalid or belongs to another conversation');
    case 'expired-msg':
      return guildScene
        ? new RestError(
            400,
            ErrorCode.GuildMsgIdExpired,
            'the replied-to message is older than the reply window',
          )
        : new RestError(400, ErrorCode.MsgIdExpired, 'msg_id expired: the reply window has passed');
    // No page names a guild code for a refused `event_id`; the codes seen for it (docs/protocol.md
    // §13.2) answer in every scene.
    case 'unknown-event':
      return new RestError(
        400,
        ErrorCode.EventIdInvalid,
        'event_id is invalid or belongs to another conversation',
      );
    case 'expired-event':
      return new RestError(400, ErrorCode.EventIdExpired, 'event_id expired: the reply window has passed');
    case 'limit':
      return new RestError(
        400,
        ErrorCode.ReplyLimitReached,
        'at most 5 replies per inbound message or event',
      );
    case 'duplicate-seq':
      return new RestError(400, ErrorCode.DuplicateMsgSeq, 'duplicate msg_seq for this msg_id/event_id');
    case 'wakeup-expired':
      return new RestError(
        400,
        ErrorCode.ProactiveNotAllowed,
        'is_wakeup needs a message from this user within the last 30 days: reply with msg_id instead',
      );
  }
}
