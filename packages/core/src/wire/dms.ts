/** Body of `POST /users/@me/dms`: opens a DM session with a guild member. */
export interface CreateDmsBody {
  /** User id of the recipient. */
  recipient_id: string;
  /** Guild the recipient and the bot share. */
  source_guild_id: string;
}

/** A DM session; send to it with `POST /dms/{guild_id}/messages`. */
export interface DmsSession {
  /** The session's own guild id (not the source guild). */
  guild_id: string;
  /** The session's channel id. */
  channel_id: string;
  /** When the session was created. */
  create_time: string;
}
