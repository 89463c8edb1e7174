/** The pinned (精华) messages of a channel. */
export interface PinsMessage {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Ids of every pinned message after the request. */
  message_ids?: string[];
}
