import type { GatewayBotInfo } from '@bot/core';

/**
 * Wire shapes the emulator produces, in the platform's snake_case (docs/protocol.md §7.3, §8).
 * Only the fields the emulator fills are listed; the platform may send more.
 */

/** A guild user as REST and guild events show it. */
export interface User {
  id: string;
  username: string;
  avatar: string;
  bot: boolean;
  union_openid?: string;
  union_user_account?: string;
}

/** A guild (频道). */
export interface Guild {
  id: string;
  name: string;
  icon: string;
  owner_id: string;
  owner: boolean;
  member_count: number;
  max_members: number;
  description: string;
  joined_at: string;
  op_user_id?: string;
}

/** A channel (子频道). */
export interface Channel {
  id: string;
  guild_id: string;
  name: string;
  type: number;
  sub_type: number;
  position: number;
  parent_id: string;
  owner_id: string;
  private_type: number;
  speak_permission: number;
  application_id: string;
  permissions: string;
  op_user_id?: string;
}

/** A guild member. */
export interface Member {
  guild_id?: string;
  user?: User;
  nick: string;
  roles: string[];
  joined_at: string;
  op_user_id?: string;
}

/** A guild role (身份组). */
export interface Role {
  id: string;
  name: string;
  color: number;
  hoist: number;
  number: number;
  member_limit: number;
}

/** A reference to an earlier message. */
export interface MessageReference {
  message_id: string;
  ignore_get_message_error?: boolean;
}

/** A file attached to a message. */
export interface MessageAttachment {
  id?: string;
  url: string;
  filename?: string;
  content_type?: string;
  size?: number;
  width?: number;
  height?: number;
}

/** A guild channel or DM message. */
export interface Message {
  id: string;
  channel_id: string;
  guild_id: string;
  content: string;
  timestamp: string;
  edited_timestamp?: string;
  mention_everyone?: boolean;
  author: User;
  member?: Pick<Member, 'joined_at' | 'roles' | 'nick'>;
  attachments?: MessageAttachment[];
  embeds?: unknown[];
  mentions?: User[];
  ark?: unknown;
  markdown?: unknown;
  keyboard?: unknown;
  message_reference?: MessageReference;
  seq: number;
  seq_in_channel: string;
  direct_message?: boolean;
  src_guild_id?: string;
}

/** GROUP_AT_MESSAGE_CREATE payload. */
export interface GroupAtMessage {
  id: string;
  author: { id: string; member_openid: string; union_openid?: string };
  content: string;
  /** The field-observed twin of `group_openid` (same value); community SDKs read it. */
  group_id: string;
  group_openid: string;
  timestamp: string;
  attachments?: MessageAttachment[];
}

/** C2C_MESSAGE_CREATE payload. */
export interface C2CMessage {
  id: string;
  author: { id: string; user_openid: string; union_openid?: string };
  content: string;
  timestamp: string;
  attachments?: MessageAttachment[];
}

/** *_MESSAGE_DELETE payload. */
export interface MessageDelete {
  message: Partial<Message> & { id: string };
  op_user: { id: string };
}

/** GROUP_ADD_ROBOT, GROUP_DEL_ROBOT, GROUP_MSG_REJECT and GROUP_MSG_RECEIVE payload. */
export interface GroupRobotEvent {
  timestamp: number;
  group_openid: string;
  op_member_openid: string;
}

/** FRIEND_ADD, FRIEND_DEL, C2C_MSG_REJECT and C2C_MSG_RECEIVE payload. */
export interface FriendEvent {
  timestamp: number;
  openid: string;
}

/** INTERACTION_CREATE payload. */
export interface Interaction {
  id: string;
  application_id: string;
  type: number;
  scene: 'guild' | 'group' | 'c2c';
  chat_type: 0 | 1 | 2;
  timestamp: string;
  guild_id?: string;
  channel_id?: string;
  user_openid?: string;
  group_openid?: string;
  group_member_openid?: string;
  version: number;
  data: {
    type: number;
    resolved: {
      button_data: string;
      button_id: string;
      user_id?: string;
      feature_id?: string;
      message_id?: string;
    };
  };
}

/** MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE payload. */
export interface MessageReaction {
  user_id: string;
  guild_id: string;
  channel_id: string;
  target: { id: string; type: number };
  emoji: { id: string; type: number };
}

/** MESSAGE_AUDIT_PASS / MESSAGE_AUDIT_REJECT payload. */
export interface MessageAudited {
  audit_id: string;
  message_id?: string;
  guild_id: string;
  channel_id: string;
  audit_time: string;
  create_time: string;
  seq_in_channel: string;
}

/** A DM session created by `POST /users/@me/dms`. */
export interface DmsSession {
  guild_id: string;
  channel_id: string;
  create_time: string;
}

/** `GET /gateway/bot` result: `@bot/core`'s `GatewayBotInfo`, the shape the bots read. */
export type GatewayBot = GatewayBotInfo;

/** The session start budget reported by `GET /gateway/bot`, as `@bot/core` defines it. */
export type { SessionStartLimit } from '@bot/core';

/** READY payload. */
export interface Ready {
  version: 1;
  session_id: string;
  user: { id: string; username: string; bot: true; status?: number };
  shard: [number, number];
}

/** A REST error body. */
export interface ErrorBody {
  code: number;
  message: string;
  err_code?: number;
  trace_id?: string;
  data?: unknown;
}
