import { hostname } from 'node:os';
import { requireInteger, ValidationError, type BotLogger } from '@bot/core';
import type { RedisNamespace } from '../RedisKeys.js';

/** Options of a {@link RedisEventConsumer}. */
export interface RedisEventConsumerOptions extends RedisNamespace {
  /** Consumer group shared by the workers of one bot (`workers` by default). */
  group?: string | undefined;
  /**
   * This worker's name in the group. It must stay the same across restarts (a restarted worker
   * first handles what it had read but not acknowledged) and differ between workers running at
   * the same time. By default it is the host name, with `-<ordinal>` when `ordinal` is given:
   * right for one worker per host or container (a StatefulSet pod, a systemd unit per machine).
   */
  consumer?: string | undefined;
  /**
   * This worker's number among the workers of its host (an integer ≥ 0), for several workers per
   * host: the default name becomes `<host>-<ordinal>` (for example from `WORKER_INDEX`, a pm2
   * `NODE_APP_INSTANCE`, a StatefulSet ordinal). Ignored when `consumer` is given.
   */
  ordinal?: number | undefined;
  /**
   * Events handled at the same time at most (50 by default). Each is acknowledged as soon as its
   * handlers finish, and the slot it frees is filled by the next read: a slow handler holds one
   * slot, not a batch.
   */
  batchSize?: number | undefined;
  /** How long a read waits for new entries, in milliseconds (2 s by default). */
  blockMs?: number | undefined;
  /**
   * How long an entry may go without a sign of life from its worker before another worker takes
   * it over, in milliseconds (5 s by default). A live worker renews the entries it is handling
   * every third of this, so a slow handler keeps its entry; a crashed worker's entries are taken
   * over `claimIdleMs` to `claimIdleMs + claimIntervalMs` after the crash. Keep it above the
   * longest pause of the worker's event loop: a worker that cannot renew in time loses its
   * entries to another, and they are handled twice.
   */
  claimIdleMs?: number | undefined;
  /** How often to look for entries to take over, in milliseconds (every `claimIdleMs / 2` by default). */
  claimIntervalMs?: number | undefined;
  /**
   * Other consumers of the group idle this long with nothing pending are deleted from it, in
   * milliseconds (10 min by default; 0 keeps them). Names of workers scaled away or renamed would
   * otherwise stay in the group forever. A consumer with nothing pending has nothing to lose: a
   * live worker deleted during a quiet spell is created again by its next read that gets entries.
   */
  forgetConsumersIdleMs?: number | undefined;
  /**
   * Deliveries after which an entry still unacknowledged is moved to the dead-letter stream
   * (`…:events:dead`, reason `undeliverable`), acknowledged and reported as an
   * `UndeliverableEventError` (5 by default; 0: never). Without a cap, one event whose handler
   * always fails (or which crashes each worker) stays pending forever: the stream keeps every
   * entry after it, and it comes back every `claimIdleMs`.
   */
  maxDeliveries?: number | undefined;
  /** Where a new group starts: the oldest entry kept (`beginning`, the default) or new entries only (`end`). */
  groupStart?: 'beginning' | 'end' | undefined;
  /**
   * How long a read may go unanswered beyond its block time before the connection counts as
   * lost, in milliseconds (5 s by default); the consumer's other commands (creating the group,
   * taking over, renewing) may go unanswered this long at most. The client would otherwise wait
   * silently for Redis over a link that stopped answering without a reset.
   */
  readTimeoutMs?: number | undefined;
  /** Back-off between tries while Redis is away: first and longest wait in milliseconds (500 ms, 30 s by default). */
  backoff?: { baseMs?: number | undefined; maxMs?: number | undefined } | undefined;
  /** Logger; a sub-logger named `redis-consumer` is derived from it. */
  logger?: BotLogger | undefined;
}

/** Options of `RedisEventConsumer.stop`. */
export interface ConsumerStopOptions {
  /**
   * How long the events being handled may take to finish, in milliseconds (`claimIdleMs` by
   * default). Past it they are left pending for another worker and reported.
   */
  graceMs?: number | undefined;
}

/** Default `claimIdleMs`: takeover within 7.5 s of a crash with the default claim interval. */
export const DEFAULT_CLAIM_IDLE_MS = 5_000;

/** Default `maxDeliveries`. */
export const DEFAULT_MAX_DELIVERIES = 5;

/** Default `forgetConsumersIdleMs`. */
export const DEFAULT_FORGET_CONSUMERS_IDLE_MS = 10 * 60_000;

/**
 * The consumer name a worker uses by default: the host name, or `<host>-<ordinal>`.
 *
 * @param ordinal - the worker's number on its host, if several run there
 * @throws {@link ValidationError} when `ordinal` is not an integer ≥ 0
 */
export function defaultConsumerName(ordinal?: number): string {
  if (ordinal === undefined) return hostname();
  return `${hostname()}-${requireInteger(ordinal, 'ordinal', 0)}`;
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

/**
 * A consumer option counting milliseconds where 0 means "never", rounded up.
 *
 * @throws {@link ValidationError} when `value` is negative or not finite
 */
export function requireNonNegative(field: string, value: number): number {
  if (!(value >= 0 && Number.isFinite(value)))
    throw new ValidationError(field, `must be a finite number ≥ 0 (got ${value})`);
  return Math.ceil(value);
}
