import { messageOf, type BotLogger } from '@bot/core';
import type { BudgetWaitReports } from '../../identify/BudgetWaitReports.js';
import { SessionStartsUsedUpError } from '../../identify/SessionStartsUsedUpError.js';

/**
 * Tells of a shard waiting for a used-up session-start budget, in the words of
 * {@link SessionStartsUsedUpError} as the in-memory queue does: to `onBudgetWait` when given, as a
 * warning otherwise, so the wait (up to a day) is never silent. A throwing `onBudgetWait` is
 * warned about and does not end the wait.
 */
export class BudgetWaitReporter {
  /**
   * @param reports - where the queue's user wants the reports
   * @param log - the queue's logger
   */
  public constructor(
    private readonly reports: BudgetWaitReports,
    private readonly log: BotLogger,
  ) {}

  /**
   * Reports one wait.
   *
   * @param shardId - the shard that waits
   * @param budget - the shared budget's size and its reset, on the server's clock
   */
  public report(shardId: number, budget: { total: number; resetAt: number }): void {
    const report = new SessionStartsUsedUpError(shardId, budget.total, new Date(budget.resetAt));
    const tell = this.reports.onBudgetWait;
    if (tell === undefined) {
      this.log.warn(report.message);
      return;
    }
    try {
      tell(report);
    } catch (error) {
      this.log.warn(`onBudgetWait threw while ${report.message}: ${messageOf(error)}`);
    }
  }
}
