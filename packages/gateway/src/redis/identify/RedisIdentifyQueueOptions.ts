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
  leaseMs?: number | undefined;
  /**
   * How often the server's clock is measured again while the queue is in use, in milliseconds
   * (30 s by default). Between measurements the process takes the server's time as its wall clock
   * plus the last measured offset, and clocks drift apart (NTP slews them by up to 0.5 ms/s), so a
   * measurement taken once at startup grows stale over a long-running process. A step of the wall
   * clock (its count since the measurement parting from the steady clock's by more than 100 ms)
   * brings a measurement on at once, in the background; a suspend needs none. A shard sleeps on
   * one answer at most this long, or 5 minutes when that is longer, before asking again.
   */
  clockSyncIntervalMs?: number | undefined;
  /** Retries of each Redis call before a wait rejects (3 tries, 10 s each, by default). */
  retry?: RetryPolicy | undefined;
  /** Logger; a sub-logger named `redis-identify` is derived from it. */
  logger?: BotLogger | undefined;
}
