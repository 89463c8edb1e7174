/*
 * The payload checks of the event models that are not messages: which fields each model relies
 * on, built from wireShape's checks (docs/protocol.md §16). Each runs once, when its model is
 * built, and looks only at scalars and at whether the nested objects are objects: a payload
 * refused here becomes a MalformedEventError naming the field instead of a TypeError in the
 * handler that reads it. Ids the model is answered through, or that say whom the event is about,
 * are required; the other documented fields are checked when present, so that no payload the
 * client delivered before is refused for leaving one out (docs/protocol.md §16.2).
 */
import type { FriendEvent, GroupRobotEvent, MessageDelete, ReadyData, ReadyUser } from '@bot/http';
import type {
  ForumPostPayload,
  ForumReplyPayload,
  ForumThreadPayload,
  MemberPayload,
  MessageReactionPayload,
} from './guildEvents.js';
import type { InteractionPayload } from './Interaction.js';
import {
  checkOptional,
  checkRequired,
  fieldLists,
  requiredFieldList,
  type RequiredFields,
  type WireFields,
} from './snapshots.js';
import {
  hasWireObject,
  wireId,
  wireList,
  wireObject,
  wireOptionalId,
  wireOptionalIdOrNumber,
  isIntegerPair,
  warnLeftOff,
  wireOptionalInteger,
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
export function checkedMember(data: MemberPayload): MemberPayload {
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
export function checkedReaction(data: MessageReactionPayload): MessageReactionPayload {
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
 * The required fields of a forum event, the same for threads, posts and replies: where it happened
 * and who did it, as for an `OPEN_FORUM_*` event. Strings or numbers: the documentation's own
 * examples give both.
 */
const FORUM_FIELDS = {
  guild_id: 'idOrNumber',
  channel_id: 'idOrNumber',
  author_id: 'idOrNumber',
} as const satisfies RequiredFields<ForumThreadPayload> &
  RequiredFields<ForumPostPayload> &
  RequiredFields<ForumReplyPayload>;
const FORUM_REQUIRED = requiredFieldList(FORUM_FIELDS);

/**
 * A forum event (`FORUM_THREAD_*`, `FORUM_POST_*`, `FORUM_REPLY_*`): the guild, channel and author
 * ids are required (strings or numbers); the nested object and its fields are typed when present,
 * as payloads without it were always delivered and the answer goes to a channel the caller names.
 *
 * @param data - the dispatch's `d`
 * @param info - which nested object the event carries
 * @throws `ValidationError` naming the first field refused
 */
export function checkedForumEvent<W extends ForumThreadPayload | ForumPostPayload | ForumReplyPayload>(
  data: W,
  info: ForumInfo,
): W {
  wirePayload(data);
  checkRequired(data as unknown as Record<string, unknown>, FORUM_REQUIRED);
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

/** The required fields of an interaction: its id (acknowledgements address it) and its kind. */
const INTERACTION_FIELDS = {
  id: 'id',
  type: 'integer',
} as const satisfies RequiredFields<InteractionPayload>;
const INTERACTION_REQUIRED = requiredFieldList(INTERACTION_FIELDS);

/**
 * An interaction (`INTERACTION_CREATE`, one per button press): its id and kind are required; every
 * other field its type names is typed when present, as the documentation's own example leaves out
 * the scene, the time and the chat's id. Plain checks on fields the model reads or hands on, no
 * allocation on success. The per-scene ids an answer goes to are required by `reply()`, which
 * names the missing one.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first field refused
 */
export function checkedInteraction(data: InteractionPayload): InteractionPayload {
  wirePayload(data);
  checkRequired(data as unknown as Record<string, unknown>, INTERACTION_REQUIRED);
  wireOptionalString(data.scene, 'd.scene');
  wireOptionalIdOrNumber(data.chat_type, 'd.chat_type');
  wireOptionalString(data.timestamp, 'd.timestamp');
  wireOptionalString(data.guild_id, 'd.guild_id');
  wireOptionalString(data.channel_id, 'd.channel_id');
  wireOptionalString(data.user_openid, 'd.user_openid');
  wireOptionalString(data.group_openid, 'd.group_openid');
  wireOptionalString(data.group_member_openid, 'd.group_member_openid');
  wireOptionalString(data.application_id, 'd.application_id');
  wireOptionalInteger(data.version, 'd.version');
  const pressed: unknown = data.data;
  if (!hasWireObject(pressed, 'd.data')) return data;
  const { type, resolved } = pressed as Record<string, unknown>;
  wireOptionalInteger(type, 'd.data.type');
  if (!hasWireObject(resolved, 'd.data.resolved')) return data;
  const fields = resolved as Record<string, unknown>;
  wireOptionalString(fields['button_data'], 'd.data.resolved.button_data');
  wireOptionalString(fields['button_id'], 'd.data.resolved.button_id');
  wireOptionalString(fields['user_id'], 'd.data.resolved.user_id');
  wireOptionalString(fields['feature_id'], 'd.data.resolved.feature_id');
  wireOptionalString(fields['message_id'], 'd.data.resolved.message_id');
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
 * The scalar fields of a READY: the session id is required (a resume names it), the protocol
 * version checked when present. `user` and `shard` are objects, checked below.
 */
const READY_FIELDS = fieldLists({
  version: 'integer?',
  session_id: 'id',
} as const satisfies WireFields<Omit<ReadyData, 'user' | 'shard'>>);

/**
 * The fields of a READY's `user` the model holds: its id is required (who the bot is), its name
 * and `bot` flag checked when present. The platform documents READY by one example and no field
 * list (docs/protocol.md §3.4), so nothing else is taken as always there.
 */
const READY_USER_FIELDS = fieldLists(
  { id: 'id', username: 'text?', bot: 'boolean?' } as const satisfies WireFields<Omit<ReadyUser, 'status'>>,
  'd.user',
);

/** The model and event a READY's warnings name. */
const READY_MODEL = 'Ready (READY)';

/**
 * `READY`: the session id and the bot's own user with its id, which the model copies, are
 * required. The version, the user's name and flag, and the shard (`[id, count]`) are checked when
 * present: one of another type is told as a process warning and the model reads it as absent (a
 * shard as none, `[-1, 0]`), so ready(), where bots set themselves up, still runs; only the two
 * ids are needed to resume and to know who the bot is (docs/protocol.md §3.4). Runs once per
 * session.
 *
 * @param data - the dispatch's `d`
 * @throws `ValidationError` naming the first required field refused
 */
export function checkedReady(data: ReadyData): ReadyData {
  wirePayload(data);
  const payload = data as unknown as Record<string, unknown>;
  checkRequired(payload, READY_FIELDS.required);
  checkOptional(payload, READY_FIELDS.optional, READY_MODEL);
  wireObject(data.user, 'd.user', 'the session names no bot user');
  const user = data.user as unknown as Record<string, unknown>;
  checkRequired(user, READY_USER_FIELDS.required);
  checkOptional(user, READY_USER_FIELDS.optional, READY_MODEL, 'd.user');
  const shard: unknown = data.shard;
  if (shard !== undefined && shard !== null && !isIntegerPair(shard))
    warnLeftOff(READY_MODEL, 'd.shard', 'must be a pair of integers when present', shard);
  return data;
}
