import type { SessionStartsUsedUpError } from './SessionStartsUsedUpError.js';

/**
 * Where an identify queue tells of shards waiting for a used-up session-start budget. Every queue
 * words the report with {@link SessionStartsUsedUpError}, so the text is the same whichever queue
 * the shards share.
 */
export interface BudgetWaitReports {
  /**
   * A shard's turn is due but the session starts are used up: it waits for the budget to reset.
   * Called once per wait, after the queue's state is settled.
   */
  onBudgetWait?: ((report: SessionStartsUsedUpError) => void) | undefined;
}
