import { GatewayError } from '@bot/gateway';
import { messageOf } from '@bot/core';

/**
 * Something the client reads events from failed to stop during `shutdown()`: the webhook server
 * did not close cleanly, or an event source's `stop()` rejected (its connection broke). The
 * shutdown went on regardless: handlers still got until the deadline to finish, the sessions were
 * closed and REST released. Events the source had not handed over stay with it (a broker delivers
 * them again); look at `cause` for why it failed, in case its connection needs attention.
 */
export class SourceStopError extends GatewayError {
  /**
   * @param source - what failed to stop, as the message names it (`the webhook server`)
   * @param cause - what its stop rejected with
   */
  public constructor(
    public readonly source: string,
    cause: unknown,
  ) {
    super(
      `${source} failed to stop: ${messageOf(cause)}; ` + 'the shutdown went on without it (see cause)',
      undefined,
      { cause },
    );
  }
}
