/** Kinds of guild announcement (`announces_type`). */
export const AnnouncesType = {
  Member: 0,
  Welcome: 1,
} as const;
/** A value of {@link AnnouncesType}. */
export type AnnouncesType = (typeof AnnouncesType)[keyof typeof AnnouncesType];

/** A channel recommended by an announcement. */
export interface RecommendChannel {
  /** Channel id. */
  channel_id: string;
  /** Why the channel is recommended. */
  introduce: string;
}

/** An announcement of a guild or a channel. */
export interface Announces {
  /** Guild id. */
  guild_id: string;
  /** Channel of the announced message. */
  channel_id: string;
  /** Announced message (empty for a recommended-channels announcement). */
  message_id: string;
  /** Kind. */
  announces_type?: AnnouncesType;
  /** Recommended channels. */
  recommend_channels?: RecommendChannel[];
}

/**
 * Body of `POST /guilds/{guild_id}/announces`: a message announcement (`message_id` with its
 * `channel_id`), or a recommended-channels announcement (`recommend_channels`, up to three).
 */
export interface CreateGuildAnnounceBody {
  /** Message to announce. */
  message_id?: string | undefined;
  /** Channel of that message; required with `message_id`. */
  channel_id?: string | undefined;
  /** Kind (member announcement by default). */
  announces_type?: AnnouncesType | undefined;
  /** Channels to recommend; replaces the current list. */
  recommend_channels?: RecommendChannel[] | undefined;
}

/** Body of `POST /channels/{channel_id}/announces`. */
export interface CreateChannelAnnounceBody {
  /** Message to announce. */
  message_id: string;
}
