/** Kinds of channel (`type`). */
export const ChannelType = {
  Text: 0,
  Voice: 2,
  Category: 4,
  Live: 10005,
  Application: 10006,
  Forum: 10007,
} as const;
/** A value of {@link ChannelType}. */
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];

/** Sub-kinds of text channel (`sub_type`). */
export const ChannelSubType = {
  Chat: 0,
  Announcement: 1,
  Guide: 2,
  Game: 3,
} as const;
/** A value of {@link ChannelSubType}. */
export type ChannelSubType = (typeof ChannelSubType)[keyof typeof ChannelSubType];

/** Who can see a channel (`private_type`). */
export const ChannelPrivateType = {
  Public: 0,
  AdminsOnly: 1,
  SelectedMembers: 2,
} as const;
/** A value of {@link ChannelPrivateType}. */
export type ChannelPrivateType = (typeof ChannelPrivateType)[keyof typeof ChannelPrivateType];

/** Who can speak in a channel (`speak_permission`). */
export const ChannelSpeakPermission = {
  Invalid: 0,
  Everyone: 1,
  SelectedMembers: 2,
} as const;
/** A value of {@link ChannelSpeakPermission}. */
export type ChannelSpeakPermission = (typeof ChannelSpeakPermission)[keyof typeof ChannelSpeakPermission];

/** A channel (子频道) of a guild. */
export interface Channel {
  /** Channel id. */
  id: string;
  /** Guild the channel belongs to. */
  guild_id: string;
  /** Channel name. */
  name: string;
  /** Kind of channel. */
  type: ChannelType;
  /** Sub-kind of a text channel. */
  sub_type?: ChannelSubType;
  /** Sort position. */
  position?: number;
  /** Id of the category the channel sits in. */
  parent_id?: string;
  /** User id of the creator. */
  owner_id?: string;
  /** Visibility. */
  private_type?: ChannelPrivateType;
  /** Speaking rule. */
  speak_permission?: ChannelSpeakPermission;
  /** AppID of an application channel. */
  application_id?: string;
  /** The bot's permissions in the channel, a decimal bit set (see `ChannelPermission`). */
  permissions?: string;
}

/** Body of `POST /guilds/{guild_id}/channels`. */
export interface CreateChannelBody {
  /** Channel name. */
  name: string;
  /** Kind of channel. */
  type: ChannelType;
  /** Sub-kind of a text channel. */
  sub_type?: ChannelSubType | undefined;
  /** Sort position; at least 2 for a category. */
  position: number;
  /** Category to place the channel in. */
  parent_id?: string | undefined;
  /** Visibility. */
  private_type?: ChannelPrivateType | undefined;
  /** Members who can see a channel of {@link ChannelPrivateType.SelectedMembers}. */
  private_user_ids?: string[] | undefined;
  /** Speaking rule. */
  speak_permission?: ChannelSpeakPermission | undefined;
  /** AppID, for application channels only. */
  application_id?: string | undefined;
}

/** Body of `PATCH /channels/{channel_id}`: send only the fields to change. */
export interface UpdateChannelBody {
  /** New name. */
  name?: string | undefined;
  /** New sort position. */
  position?: number | undefined;
  /** New category. */
  parent_id?: string | undefined;
  /** New visibility. */
  private_type?: ChannelPrivateType | undefined;
  /** New speaking rule. */
  speak_permission?: ChannelSpeakPermission | undefined;
}

/** Result of `GET /channels/{channel_id}/online_nums` (voice and live channels). */
export interface ChannelOnlineCount {
  /** Members currently in the channel. */
  online_nums: number;
}
