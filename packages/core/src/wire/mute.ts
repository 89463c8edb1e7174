/**
 * Body of the mute endpoints. Give `mute_end_timestamp` (an absolute time in seconds) or
 * `mute_seconds` (a duration); the platform prefers `mute_end_timestamp` when both are set.
 * Both are decimal strings on the wire; `"0"` lifts a mute.
 */
export interface MuteBody {
  /** Unix time in seconds when the mute ends. */
  mute_end_timestamp?: string | undefined;
  /** Mute duration in seconds. */
  mute_seconds?: string | undefined;
}

/** Body of `PATCH /guilds/{guild_id}/mute` when muting several members at once. */
export interface MuteMembersBody extends MuteBody {
  /** Users to mute. */
  user_ids: string[];
}

/** Result of muting several members. */
export interface MuteMembersResult {
  /** Users that were muted. */
  user_ids?: string[];
}
