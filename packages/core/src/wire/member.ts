import type { User } from './user.js';

/** A member of a guild, as the member endpoints return it. */
export interface Member {
  /** The user behind the membership. */
  user: User;
  /** Nickname in the guild. */
  nick?: string;
  /** Role ids. */
  roles?: string[];
  /** When the user joined, ISO 8601. */
  joined_at?: string;
  /** Guild id, present in events and some lookups. */
  guild_id?: string;
}

/** The partial member attached to a guild message (`message.member`). */
export interface MessageMember {
  /** Nickname in the guild. */
  nick?: string;
  /** Role ids. */
  roles?: string[];
  /** When the author joined, ISO 8601. */
  joined_at?: string;
}

/** Query of `GET /guilds/{guild_id}/members`. */
export interface MemberListQuery {
  /** Largest user id of the previous page; `0` (the default) starts from the beginning. */
  after?: string | undefined;
  /** Page size, 1–400. */
  limit?: number | undefined;
}

/** Query of `GET /guilds/{guild_id}/roles/{role_id}/members`. */
export interface RoleMemberListQuery {
  /** `next` of the previous page; `0` (the default) starts from the beginning. */
  start_index?: string | undefined;
  /** Page size, 1–400. */
  limit?: number | undefined;
}

/** Result of `GET /guilds/{guild_id}/roles/{role_id}/members`. */
export interface RoleMemberPage {
  /** Members of this page (the count may differ from `limit`). */
  data?: Member[];
  /** Pass as `start_index` to fetch the next page. */
  next: string;
}

/** How many days of a removed member's messages to recall: `0` none, `-1` all. */
export type DeleteHistoryMsgDays = 0 | 3 | 7 | 15 | 30 | -1;

/** Body of `DELETE /guilds/{guild_id}/members/{user_id}`. */
export interface RemoveMemberBody {
  /** Also add the user to the guild's blacklist. */
  add_blacklist?: boolean | undefined;
  /** Recall the member's recent messages. */
  delete_history_msg_days?: DeleteHistoryMsgDays | undefined;
}
