import { ValidationError, type BotLogger } from '@bot/core';
import type { RedisNamespace } from '../RedisKeys.js';

/** Options of a {@link RedisEventConsumer}. */
export interface RedisEventConsumerOptions extends RedisNamespace {
  /** Consumer group shared by the workers of one bot (`workers` by default). */
  group?: string;
  /** This worker's name in the group; stable across restarts if possible (`<host>-<pid>` by default). */
  consumer?: string;
  /** Entries read (and handled concurrently) at a time (50 by default). */
  batchSize?: number;
  /** How long a read waits for new entries, in milliseconds (2 s by default). */
  blockMs?: number;
  /**
   * How long an entry may stay unacknowledged before another worker takes it over, in
   * milliseconds (30 s by default). Keep it well above the slowest handler: an entry taken over
   * while its handler still runs is handled twice.
   */
  claimIdleMs?: number;
  /** How often to look for entries to take over, in milliseconds (every `claimIdleMs / 2` by default). */
  claimIntervalMs?: number;
  /** Where a new group starts: the oldest entry kept (`beginning`, the default) or new entries only (`end`). */
  groupStart?: 'beginning' | 'end';
  /**
   * How long a read may go unanswered beyond its block time before the connection counts as
   * lost, in milliseconds (5 s by default). The client would otherwise wait silently for Redis.
   */
  readTimeoutMs?: number;
  /** Back-off between tries while Redis is away: first and longest wait in milliseconds (500 ms, 30 s by default). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Logger; a sub-logger named `redis-consumer` is derived from it. */
  logger?: BotLogger;
}

/**
 * A consumer option naming something in Redis (a group, a consumer).
 *
 * @throws {@link ValidationError} when `value` is empty or has spaces
 */
export function requireName(field: string, value: string): string {
  if (value === '' || /\s/.test(value))
    throw new ValidationError(field, `must be non-empty without spaces (got "${value}")`);
  return value;
}

/**
 * A consumer option counting entries or milliseconds, rounded up.
 *
 * @throws {@link ValidationError} when `value` is not a positive finite number
 */
export function requirePositive(field: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value)))
    throw new ValidationError(field, `must be a positive number (got ${value})`);
  return Math.ceil(value);
}
