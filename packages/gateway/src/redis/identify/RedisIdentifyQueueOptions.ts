import type { BotLogger } from '@bot/core';
import type { BudgetWaitReports } from '../../identify/BudgetWaitReports.js';
import type { IdentifyLimits } from '../../identify/IdentifyQueue.js';
import type { RedisNamespace } from '../RedisKeys.js';
import type { RetryPolicy } from '../support/retry.js';

/**
 * Options of a `RedisIdentifyQueue`. `onBudgetWait` is told of each shard that waits for a used-up
 * session-start budget, once per wait, as the in-memory queue tells it (for example
 * `(report) => manager.emit('error', report, report.shardId)`); without it, the report is a
 * warning on `logger`.
 */
export interface RedisIdentifyQueueOptions extends RedisNamespace, BudgetWaitReports {
  /**
   * Limits from `/gateway/bot` (`identifyLimitsFrom(info.session_start_limit)`). The first process
   * to start sets the shared state; later ones keep it, lowering the remaining count if theirs is
   * lower. Windows and `maxConcurrency` always come from the shared state.
   */
  limits: IdentifyLimits;
  /**
   * How long a waiting shard keeps its place in line without a sign of life from its process, in
   * milliseconds (15 s by default; from 1000 to 3 × (2^31-1)). A process renews its waiters'
   * leases every third of it; when it dies, its waiters stop blocking the line once their leases
   * run out.
   */
  leaseMs?: number;
  /**
   * How often the server's clock is measured again while shards wait for turns, in milliseconds
   * (30 s by default). Between measurements the process counts on from the last one at its own
   * clock's pace, and clocks drift apart (NTP slews them by up to 0.5 ms/s), so a measurement taken
   * once at startup grows stale over a long-running process. It is also the longest a shard sleeps
   * on one answer before asking again. A suspend or a step of the wall clock (the wall clock
   * moving on more than a second further than the steady one) brings the measurement on at once.
   */
  clockSyncIntervalMs?: number;
  /** Retries of each Redis call before a wait rejects (3 tries, 10 s each, by default). */
  retry?: RetryPolicy;
  /** Logger; a sub-logger named `redis-identify` is derived from it. */
  logger?: BotLogger;
}
