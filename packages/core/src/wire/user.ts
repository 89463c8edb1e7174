/**
 * A QQ user as guild APIs and guild events describe it (`GET /users/@me`, message authors,
 * guild members). Group and C2C events identify people by openid instead: see `events.ts`.
 */
export interface User {
  /** User id, unique per bot. */
  id: string;
  /** Display name. */
  username: string;
  /** Avatar URL. */
  avatar?: string;
  /** Whether the user is a bot. */
  bot?: boolean;
  /** Id shared across a developer's apps, when the user is linked to them. */
  union_openid?: string;
  /** Account name of that link. */
  union_user_account?: string;
}

/** The user who performed an action, as delete events carry it. */
export interface OperatorUser {
  /** User id of the operator. */
  id: string;
}
