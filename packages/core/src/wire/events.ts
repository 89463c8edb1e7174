import type { AudioAction, AudioLiveChannelMember } from './audio.js';
import type { Channel } from './channel.js';
import type { ForumAuditResult, OpenForumEvent, Post, Reply, Thread } from './forum.js';
import type { ReadyData } from './gateway.js';
import type { Guild } from './guild.js';
import type { Interaction } from './interaction.js';
import type { Member } from './member.js';
import type { MessageAudited, MessageDelete, Message } from './message.js';
import type { MessageReaction } from './reaction.js';

/** A file attached to a group or C2C message. */
export interface OpenMessageAttachment {
  /** Download URL. */
  url: string;
  /** `image/jpeg`, `image/png`, `image/gif`, `video/mp4`, `file` or `voice`. */
  content_type?: string;
  /** File name. */
  filename?: string;
  /** Size in bytes. */
  size?: number;
  /** Image width in pixels. */
  width?: number;
  /** Image height in pixels. */
  height?: number;
}

/** Payload of `GROUP_AT_MESSAGE_CREATE`: a group member mentioned the bot. */
export interface GroupMessageCreate {
  /** Message id; reply with it as `msg_id`. */
  id: string;
  /** The sender. */
  author: {
    /** Sender id. */
    id?: string;
    /** The sender's openid in this group. */
    member_openid: string;
    /** Cross-app id, when linked. */
    union_openid?: string;
  };
  /** Text (the mention itself removed). */
  content: string;
  /** The group's openid. */
  group_openid: string;
  /** Legacy group id. */
  group_id?: string;
  /** When it was sent, RFC 3339. */
  timestamp: string;
  /** Attached files. */
  attachments?: OpenMessageAttachment[];
}

/** Payload of `C2C_MESSAGE_CREATE`: a user messaged the bot directly. */
export interface C2cMessageCreate {
  /** Message id; reply with it as `msg_id`. */
  id: string;
  /** The sender. */
  author: {
    /** Sender id. */
    id?: string;
    /** The sender's openid. */
    user_openid: string;
    /** Cross-app id, when linked. */
    union_openid?: string;
  };
  /** Text. */
  content: string;
  /** When it was sent, RFC 3339. */
  timestamp: string;
  /** Attached files. */
  attachments?: OpenMessageAttachment[];
}

/** Payload of `GROUP_ADD_ROBOT`, `GROUP_DEL_ROBOT`, `GROUP_MSG_REJECT` and `GROUP_MSG_RECEIVE`. */
export interface GroupRobotEvent {
  /** When it happened (Unix seconds). */
  timestamp: number;
  /** The group's openid. */
  group_openid: string;
  /** Member who made the change. */
  op_member_openid: string;
}

/** Payload of `FRIEND_ADD`, `FRIEND_DEL`, `C2C_MSG_REJECT` and `C2C_MSG_RECEIVE`. */
export interface FriendEvent {
  /** When it happened (Unix seconds). */
  timestamp: number;
  /** The user's openid. */
  openid: string;
}

/** Payload of `GUILD_CREATE`, `GUILD_UPDATE` and `GUILD_DELETE`. */
export interface GuildEvent extends Guild {
  /** Who made the change. */
  op_user_id?: string;
}

/** Payload of `CHANNEL_CREATE`, `CHANNEL_UPDATE` and `CHANNEL_DELETE`. */
export interface ChannelEvent extends Channel {
  /** Who made the change. */
  op_user_id?: string;
}

/** Payload of `GUILD_MEMBER_ADD`, `GUILD_MEMBER_UPDATE` and `GUILD_MEMBER_REMOVE`. */
export interface GuildMemberEvent extends Member {
  /** Guild id. */
  guild_id: string;
  /** Who made the change. */
  op_user_id?: string;
}

/**
 * The `d` type of each dispatch event, by event name. Events missing here (new or
 * undocumented ones) still reach raw handlers with `d: unknown`.
 */
export interface DispatchEventMap {
  READY: ReadyData;
  RESUMED: string;
  GUILD_CREATE: GuildEvent;
  GUILD_UPDATE: GuildEvent;
  GUILD_DELETE: GuildEvent;
  CHANNEL_CREATE: ChannelEvent;
  CHANNEL_UPDATE: ChannelEvent;
  CHANNEL_DELETE: ChannelEvent;
  GUILD_MEMBER_ADD: GuildMemberEvent;
  GUILD_MEMBER_UPDATE: GuildMemberEvent;
  GUILD_MEMBER_REMOVE: GuildMemberEvent;
  MESSAGE_CREATE: Message;
  MESSAGE_DELETE: MessageDelete;
  AT_MESSAGE_CREATE: Message;
  PUBLIC_MESSAGE_DELETE: MessageDelete;
  DIRECT_MESSAGE_CREATE: Message;
  DIRECT_MESSAGE_DELETE: MessageDelete;
  MESSAGE_REACTION_ADD: MessageReaction;
  MESSAGE_REACTION_REMOVE: MessageReaction;
  MESSAGE_AUDIT_PASS: MessageAudited;
  MESSAGE_AUDIT_REJECT: MessageAudited;
  INTERACTION_CREATE: Interaction;
  GROUP_AT_MESSAGE_CREATE: GroupMessageCreate;
  C2C_MESSAGE_CREATE: C2cMessageCreate;
  GROUP_ADD_ROBOT: GroupRobotEvent;
  GROUP_DEL_ROBOT: GroupRobotEvent;
  GROUP_MSG_REJECT: GroupRobotEvent;
  GROUP_MSG_RECEIVE: GroupRobotEvent;
  FRIEND_ADD: FriendEvent;
  FRIEND_DEL: FriendEvent;
  C2C_MSG_REJECT: FriendEvent;
  C2C_MSG_RECEIVE: FriendEvent;
  FORUM_THREAD_CREATE: Thread;
  FORUM_THREAD_UPDATE: Thread;
  FORUM_THREAD_DELETE: Thread;
  FORUM_POST_CREATE: Post;
  FORUM_POST_DELETE: Post;
  FORUM_REPLY_CREATE: Reply;
  FORUM_REPLY_DELETE: Reply;
  FORUM_PUBLISH_AUDIT_RESULT: ForumAuditResult;
  OPEN_FORUM_THREAD_CREATE: OpenForumEvent;
  OPEN_FORUM_THREAD_UPDATE: OpenForumEvent;
  OPEN_FORUM_THREAD_DELETE: OpenForumEvent;
  OPEN_FORUM_POST_CREATE: OpenForumEvent;
  OPEN_FORUM_POST_DELETE: OpenForumEvent;
  OPEN_FORUM_REPLY_CREATE: OpenForumEvent;
  OPEN_FORUM_REPLY_DELETE: OpenForumEvent;
  AUDIO_START: AudioAction;
  AUDIO_FINISH: AudioAction;
  AUDIO_ON_MIC: AudioAction;
  AUDIO_OFF_MIC: AudioAction;
  AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER: AudioLiveChannelMember;
  AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT: AudioLiveChannelMember;
}

/** Name of a dispatch event this package types. */
export type DispatchEventName = keyof DispatchEventMap;
