import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { MessageAudited } from '../protocol/wire.js';
import { createBotGuildMessage } from '../rest/botMessages.js';
import { isoTimestamp } from '../util/time.js';
import type { SimulationContext } from './SimulationContext.js';

/**
 * MESSAGE_AUDIT_PASS / _REJECT for a send held in audit mode. A pass creates the message.
 */
export function auditResult(
  ctx: SimulationContext,
  passed: boolean,
  auditId: string,
): PublishedEvent<MessageAudited> {
  const audit = ctx.audits.take(auditId);
  if (!audit) throw new EmulatorError(`no pending audit ${auditId}`);
  const now = Date.now();
  const dm = audit.scene === 'dm' ? ctx.world.dms.byGuild(audit.guildId) : undefined;
  const message = passed
    ? createBotGuildMessage(
        ctx.world,
        ctx.ids,
        {
          scene: audit.scene,
          guildId: audit.guildId,
          channelId: audit.channelId,
          target: audit.target,
          ...(dm ? { sourceGuildId: dm.sourceGuildId } : {}),
        },
        audit.body,
        audit.files,
        now,
      )
    : undefined;
  const payload: MessageAudited = {
    audit_id: audit.auditId,
    ...(message ? { message_id: message.id } : {}),
    guild_id: audit.guildId,
    channel_id: audit.channelId,
    audit_time: isoTimestamp(now),
    create_time: isoTimestamp(audit.createdAt),
    seq_in_channel: message?.seq_in_channel ?? '0',
  };
  return ctx.events.publish(passed ? 'MESSAGE_AUDIT_PASS' : 'MESSAGE_AUDIT_REJECT', payload, {
    guildId: audit.guildId,
  });
}
