import type { Message, MessageAttachment } from '../protocol/wire.js';
import type { World } from '../state/World.js';
import type { JsonObject } from '../util/guards.js';
import type { IdFactory } from '../util/ids.js';
import { isoTimestamp } from '../util/time.js';
import type { MultipartFile } from './multipart.js';

/** Where a bot's guild-side message goes. */
export interface GuildMessageTarget {
  scene: 'guild' | 'dm';
  guildId: string;
  channelId: string;
  /** Channel id for guild messages, DM guild id for DMs. */
  target: string;
  /** For DMs: the guild the DM was opened from. */
  sourceGuildId?: string;
}

/**
 * Creates and stores the message a bot's guild channel or DM send produces, as the platform
 * echoes it back: author is the bot, seq numbers continue the channel's.
 */
export function createBotGuildMessage(
  world: World,
  ids: IdFactory,
  target: GuildMessageTarget,
  body: JsonObject,
  files: MultipartFile[],
  at: number = Date.now(),
): Message {
  const seq = world.messages.nextSeqInChannel(target.channelId);
  const attachments: MessageAttachment[] = [];
  if (typeof body['image'] === 'string' && body['image'] !== '') attachments.push({ url: body['image'] });
  for (const file of files) {
    attachments.push({
      url: `https://gchat.qpic.cn/emulator/${ids.opaque(8)}/${file.filename}`,
      filename: file.filename,
      content_type: file.contentType,
      size: file.size,
    });
  }
  const member = world.guilds.memberRecord(
    target.scene === 'dm' ? (target.sourceGuildId ?? '') : target.guildId,
    world.bot.id,
  );
  const message: Message = {
    id: ids.guildMessageId(),
    channel_id: target.channelId,
    guild_id: target.guildId,
    content: typeof body['content'] === 'string' ? body['content'] : '',
    timestamp: isoTimestamp(at),
    mention_everyone: false,
    author: { ...world.bot },
    ...(member
      ? { member: { nick: member.nick, roles: [...member.roles], joined_at: member.joinedAt } }
      : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(body['embed'] !== undefined ? { embeds: [body['embed']] } : {}),
    ...(body['ark'] !== undefined ? { ark: body['ark'] } : {}),
    ...(body['markdown'] !== undefined ? { markdown: body['markdown'] } : {}),
    ...(body['keyboard'] !== undefined ? { keyboard: body['keyboard'] } : {}),
    ...(isMessageReference(body['message_reference'])
      ? { message_reference: body['message_reference'] }
      : {}),
    seq,
    seq_in_channel: String(seq),
    ...(target.scene === 'dm' ? { direct_message: true, src_guild_id: target.sourceGuildId ?? '' } : {}),
  };
  world.messages.add({
    id: message.id,
    scene: target.scene,
    target: target.target,
    fromBot: true,
    createdAt: at,
    content: message.content,
    wire: message,
    ...(message.keyboard !== undefined ? { keyboard: message.keyboard } : {}),
  });
  return message;
}

function isMessageReference(value: unknown): value is { message_id: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message_id?: unknown }).message_id === 'string'
  );
}
