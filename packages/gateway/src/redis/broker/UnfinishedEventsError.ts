import { GatewayError } from '../../errors/GatewayError.js';

/**
 * A consumer's `stop()` gave up waiting for handlers that had not finished within its grace
 * period. Their entries were left pending, unacknowledged, so another worker takes them over once
 * they have gone `claimIdleMs` without renewal (or this worker on its restart). A handler still
 * running here may finish later: such an event can be handled twice. Make handlers finish within
 * the grace (a deadline of their own), or give `stop()` a longer `graceMs`.
 */
export class UnfinishedEventsError extends GatewayError {
  /**
   * @param entryIds - the stream entries left pending
   * @param graceMs - how long `stop()` waited for them
   */
  public constructor(
    public readonly entryIds: readonly string[],
    public readonly graceMs: number,
  ) {
    const events = entryIds.length === 1 ? '1 event was' : `${entryIds.length} events were`;
    const shown = entryIds.slice(0, 10).join(', ') + (entryIds.length > 10 ? ', …' : '');
    super(
      `the consumer stopped while ${events} still being handled after its ${graceMs} ms grace (entries ${shown}): each stays pending, and another worker takes it over (it may be handled twice); make handlers finish within graceMs, or stop with a longer one`,
      undefined,
    );
  }
}
