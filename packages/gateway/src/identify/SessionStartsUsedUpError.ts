import { GatewayError } from '../errors/GatewayError.js';

/**
 * A shard needs to identify, but the bot's session starts are used up: it waits for the budget to
 * reset (`session_start_limit.reset_after` of `/gateway/bot`, a day at most) and identifies then.
 * Reported once per wait, so a shard stuck in `identifying` never waits silently. Sessions that can
 * be resumed cost no start: keep a session store that outlives the process, or ask the platform for
 * a larger `session_start_limit`.
 */
export class SessionStartsUsedUpError extends GatewayError {
  /** The shard that waits. */
  declare public readonly shardId: number;

  /**
   * @param shardId - the shard that waits
   * @param total - session starts per budget period
   * @param resetAt - when the budget resets: the shard identifies then, or in a later window when
   *   other shards are in line before it
   */
  public constructor(
    shardId: number,
    public readonly total: number,
    public readonly resetAt: Date,
  ) {
    super(
      `session starts are used up (0 of ${total} left); waiting for the budget to reset at ${resetAt.toISOString()} to identify. ` +
        'Resume stored sessions instead of identifying (a session store that outlives the process), ' +
        'or ask the platform to raise session_start_limit',
      shardId,
    );
  }
}
