/** A guild (频道) the bot belongs to. */
export interface Guild {
  /** Guild id. */
  id: string;
  /** Guild name. */
  name: string;
  /**
   * Icon URL, as received. The guild-event documentation warns that `icon` and `joined_at` are in
   * no standard form yet, so neither is promised to be a string: check its type before use.
   */
  icon?: unknown;
  /** User id of the guild's owner. */
  owner_id?: string;
  /** Whether the bot itself owns the guild. */
  owner?: boolean;
  /** Current number of members. */
  member_count?: number;
  /** Maximum number of members. */
  max_members?: number;
  /** Guild description. */
  description?: string;
  /**
   * When the bot joined, usually ISO 8601, as received: in no standard form yet, as the
   * documentation warns of `icon` too.
   */
  joined_at?: unknown;
}

/** Query of `GET /users/@me/guilds`: page forwards with `after` or backwards with `before`. */
export interface GuildListQuery {
  /** Return guilds with ids before this one. */
  before?: string | undefined;
  /** Return guilds with ids after this one. */
  after?: string | undefined;
  /** Page size, 1–100 (the platform's default is 100). */
  limit?: number | undefined;
}

/** The bot's message frequency settings in a guild (`GET /guilds/{guild_id}/message/setting`). */
export interface MessageSetting {
  /** Whether opening DMs is disabled. */
  disable_create_dm: boolean;
  /** Whether proactive messages are disabled. */
  disable_push_msg: boolean;
  /** Channels the settings apply to. */
  channel_ids?: string[];
  /** Proactive messages allowed per channel. */
  channel_push_max_num: number;
}
