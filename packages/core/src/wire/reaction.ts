import type { User } from './user.js';

/** Kinds of emoji (`emoji.type`). */
export const EmojiType = {
  /** A QQ system emoji, id is numeric. */
  System: 1,
  /** A Unicode emoji, id is its code point in decimal. */
  Emoji: 2,
} as const;
/** A value of {@link EmojiType}. */
export type EmojiType = (typeof EmojiType)[keyof typeof EmojiType];

/** An emoji used in a reaction. */
export interface Emoji {
  /** Emoji id. */
  id: string;
  /** Emoji kind. */
  type: EmojiType;
}

/** What a reaction targets (`target.type`). */
export const ReactionTargetType = {
  Message: 0,
  Post: 1,
  Comment: 2,
  Reply: 3,
} as const;
/** A value of {@link ReactionTargetType}. */
export type ReactionTargetType = (typeof ReactionTargetType)[keyof typeof ReactionTargetType];

/** The object a reaction was put on. */
export interface ReactionTarget {
  /** Target id. */
  id: string;
  /** Target kind; seen both as a number and as a numeric string. */
  type: ReactionTargetType | `${ReactionTargetType}`;
}

/** Payload of `MESSAGE_REACTION_ADD` and `MESSAGE_REACTION_REMOVE`. */
export interface MessageReaction {
  /** Who reacted. */
  user_id: string;
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** What was reacted to. */
  target: ReactionTarget;
  /** The emoji. */
  emoji: Emoji;
}

/** Query of `GET /channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}`. */
export interface ReactionUsersQuery {
  /** `cookie` of the previous page; omit for the first. */
  cookie?: string | undefined;
  /** Page size, 1–50 (20 by default); only the first request needs it. */
  limit?: number | undefined;
}

/** A page of users who reacted with one emoji. */
export interface ReactionUsers {
  /** The users. */
  users?: User[];
  /** Pass to fetch the next page. */
  cookie: string;
  /** `true` on the last page. */
  is_end: boolean;
}
