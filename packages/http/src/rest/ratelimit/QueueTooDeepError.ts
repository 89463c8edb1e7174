import type { QueuedBehind } from '../../errors/RateLimitedError.js';

/**
 * The sends ahead of a request in its route's queue, paced by the route's window, need longer
 * than the request's deadline leaves: it is refused at once, unsent, instead of waiting until it
 * times out. Internal: the client reports it as a `RateLimitedError`.
 */
export class QueueTooDeepError extends Error {
  /**
   * @param wait - the wait for its turn by the estimate, in milliseconds (not a bound: see
   *   `walkQueue`)
   * @param pauseMs - the part of `wait` a rate-limit pause makes
   * @param queued - the queue ahead of it and the route's window
   */
  public constructor(
    public readonly wait: number,
    public readonly pauseMs: number,
    public readonly queued: QueuedBehind,
  ) {
    super(`${queued.depth} requests wait ahead; the turn comes in about ${wait} ms by the estimate`);
    this.name = 'QueueTooDeepError';
  }
}
