/*
 * The payload checks of the event models that are not messages: which fields each model relies
 * on, built from wireShape's checks (docs/protocol.md §16). Each runs once, when its model is
 * built, and looks only at scalars and at whether the nested objects are objects: a payload
 * refused here becomes a MalformedEventError naming the field instead of a TypeError in the
 * handler that reads it. Ids the model is answered through, or that say whom the event is about,
 * are required; the other documented fields are checked when present, so that no payload the
 * client delivered before is refused for leaving one out (docs/protocol.md §16.2).
 */
import type {
  FriendEvent,
  GroupRobotEvent,
  GuildMemberEvent,
  MessageDelete,
  MessageReaction,
  Post,
  ReadyData,
  Reply,
  Thread,
} from '@bot/http';
import {
  hasWireObject,
  wireId,
  wireList,
  wireObject,
  wireOptionalId,
  wireOptionalIdOrNumber,
  wireOptionalIntegerPair,
  wireOptionalRichText,
  wireOptionalString,
  wirePayload,
} from './wireShape.js';

/**
 * A member event (`GUILD_MEMBER_*`): the guild and the user it is about are required, the user's
 * name, the nickname, the operator and the roles list are typed when present. The roles' items and
 * `joined_at` are passed on as received: the documentation warns that neither is in a standard
 * form yet.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first field refused
 */
export function checkedMember(data: GuildMemberEvent): GuildMemberEvent {
  wirePayload(data);
  wireId(data.guild_id, 'd.guild_id');
  const user = data.user;
  wireObject(user, 'd.user', 'the event names no member');
  wireId(user.id, 'd.user.id');
  wireOptionalString(user.username, 'd.user.username');
  wireOptionalString(user.avatar, 'd.user.avatar');
  wireOptionalString(data.nick, 'd.nick');
  wireOptionalId(data.op_user_id, 'd.op_user_id');
  wireList(data.roles, 'd.roles');
  return data;
}

/**
 * A reaction (`MESSAGE_REACTION_*`): the channel its answer goes to and the user who reacted are
 * required; the guild, the target and the emoji are typed when present.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first field refused
 */
export function checkedReaction(data: MessageReaction): MessageReaction {
  wirePayload(data);
  wireId(data.channel_id, 'd.channel_id');
  wireId(data.user_id, 'd.user_id');
  wireOptionalId(data.guild_id, 'd.guild_id');
  const target: unknown = data.target;
  if (hasWireObject(target, 'd.target')) {
    const { id, type } = target as Record<string, unknown>;
    wireOptionalId(id, 'd.target.id');
    // Seen both as a number and as a numeric string (docs/protocol.md §16).
    wireOptionalIdOrNumber(type, 'd.target.type');
  }
  const emoji: unknown = data.emoji;
  if (hasWireObject(emoji, 'd.emoji')) {
    const { id, type } = emoji as Record<string, unknown>;
    wireOptionalId(id, 'd.emoji.id');
    wireOptionalIdOrNumber(type, 'd.emoji.type');
  }
  return data;
}

/** The nested object of each forum event, and the ids it holds besides `thread_id`. */
export type ForumInfo =
  | { key: 'thread_info'; ids: readonly [] }
  | { key: 'post_info'; ids: readonly ['post_id'] }
  | { key: 'reply_info'; ids: readonly ['post_id', 'reply_id'] };

/**
 * A forum event (`FORUM_THREAD_*`, `FORUM_POST_*`, `FORUM_REPLY_*`): every field is typed when
 * present, none required, as the answer goes to a channel the caller names. The guild, channel
 * and author ids may be strings or numbers: the documentation's own examples give both.
 *
 * @param data - the dispatch's `d`
 * @param info - which nested object the event carries
 * @throws `ValidationError` naming the first field refused
 */
export function checkedForumEvent<W extends Thread | Post | Reply>(data: W, info: ForumInfo): W {
  wirePayload(data);
  wireOptionalIdOrNumber(data.guild_id, 'd.guild_id');
  wireOptionalIdOrNumber(data.channel_id, 'd.channel_id');
  wireOptionalIdOrNumber(data.author_id, 'd.author_id');
  const path = `d.${info.key}`;
  const nested: unknown = (data as unknown as Record<string, unknown>)[info.key];
  if (!hasWireObject(nested, path)) return data;
  const fields = nested as Record<string, unknown>;
  wireOptionalId(fields['thread_id'], `${path}.thread_id`);
  for (const id of info.ids) wireOptionalId(fields[id], `${path}.${id}`);
  if (info.key === 'thread_info') wireOptionalRichText(fields['title'], `${path}.title`);
  wireOptionalRichText(fields['content'], `${path}.content`);
  wireOptionalString(fields['date_time'], `${path}.date_time`);
  return data;
}

/**
 * A group event (`GROUP_*`): the group its answer goes to and the member who acted are required.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first field refused
 */
export function checkedGroupRobotEvent(data: GroupRobotEvent): GroupRobotEvent {
  wirePayload(data);
  wireId(data.group_openid, 'd.group_openid');
  wireId(data.op_member_openid, 'd.op_member_openid');
  return data;
}

/**
 * A C2C event (`FRIEND_*`, `C2C_MSG_*`): the user its answer goes to is required.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming `d.openid` otherwise
 */
export function checkedFriendEvent(data: FriendEvent): FriendEvent {
  wirePayload(data);
  wireId(data.openid, 'd.openid');
  return data;
}

/**
 * A recall (`*_MESSAGE_DELETE`): the message with its id and the operator with theirs.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first field refused
 */
export function checkedMessageDelete(data: MessageDelete): MessageDelete {
  wirePayload(data);
  wireObject(data.message, 'd.message', 'the event names no message');
  wireId(data.message.id, 'd.message.id');
  wireObject(data.op_user, 'd.op_user', 'the event names no operator');
  wireId(data.op_user.id, 'd.op_user.id');
  return data;
}

/**
 * `READY`: the session id and the bot's own user, which the model copies, and the shard when
 * named: the gateway passes on a READY that names none (docs/protocol.md §3.4), but one it names
 * must be `[id, count]`, or reading `shardId` would fail in the handler.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first field refused
 */
export function checkedReady(data: ReadyData): ReadyData {
  wirePayload(data);
  wireId(data.session_id, 'd.session_id');
  wireObject(data.user, 'd.user', 'the session names no bot user');
  wireId(data.user.id, 'd.user.id');
  wireOptionalIntegerPair(data.shard, 'd.shard');
  return data;
}
