import type { Channel } from './channel.js';
import type { Guild } from './guild.js';
import type { Member } from './member.js';

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

// The event catalogue declares each event's payload type beside its intent and handler method; the
// wire map and the names are derived there and offered here with the other wire types.
export type { DispatchEventMap, DispatchEventName } from '../events/dispatchEvents.js';
