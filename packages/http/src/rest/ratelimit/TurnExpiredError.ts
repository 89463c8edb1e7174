import { DeadlineExceededError } from '@bot/core';
import type { QueuedFor } from '../../errors/TimeSpent.js';

/**
 * A request's deadline passed while it waited in its route's queue, unsent. A deadline error like
 * any other (the client reports it as a `TimeoutError`), which also says what held the queue.
 */
export class TurnExpiredError extends DeadlineExceededError {
  /**
   * @param ms - the deadline that passed, in milliseconds
   * @param queuedFor - what held the queue when it passed
   */
  public constructor(
    ms: number,
    public readonly queuedFor: QueuedFor,
  ) {
    super(ms);
  }
}
