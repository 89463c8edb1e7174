import type { Redis } from 'ioredis';
import { requireDuration, sleepUnlessAborted, steadyNow, ValidationError } from '@bot/core';
import { Backoff } from '../../shard/Backoff.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { failureKind } from './failureKind.js';
import { isReconnecting, untilConnected } from './untilConnected.js';

/**
 * How a Redis operation is retried. As an option it is checked when its owner is built: the
 * delays and the timeout are positive durations Node's timers hold (at most 2^31-1 ms).
 */
export interface RetryPolicy {
  /** Tries in all, the first included: a whole number from 1, or `Infinity` (3 by default). */
  attempts?: number | undefined;
  /** Wait before the second try in milliseconds, doubling after it (200 ms by default). */
  baseDelayMs?: number | undefined;
  /** Longest wait between tries in milliseconds (5 s by default). */
  maxDelayMs?: number | undefined;
  /** How long one try may take before it counts as failed, in milliseconds (10 s by default). */
  timeoutMs?: number | undefined;
}

/** How long one try of a Redis operation may take by default, in milliseconds. */
export const DEFAULT_TRY_TIMEOUT_MS = 10_000;

/**
 * Checks a {@link RetryPolicy} given as an option: a delay or timeout Node's timers cannot hold
 * fires after 1 ms (`timeoutMs: Infinity` failed every try at once), and a try count that is not
 * a whole number from 1 (or `Infinity`) made no try at all.
 *
 * @param policy - the option's value
 * @returns the policy, `{}` when none was given
 * @throws {@link ValidationError} naming the first field out of range (`retry.timeoutMs`, …)
 */
export function checkRetryPolicy(policy: RetryPolicy | undefined): RetryPolicy {
  if (policy === undefined) return {};
  const { attempts } = policy;
  if (
    attempts !== undefined &&
    attempts !== Number.POSITIVE_INFINITY &&
    !(Number.isSafeInteger(attempts) && attempts >= 1)
  )
    throw new ValidationError(
      'retry.attempts',
      `must be a whole number from 1, or Infinity (got ${String(attempts)})`,
    );
  for (const field of ['baseDelayMs', 'maxDelayMs', 'timeoutMs'] as const) {
    const value = policy[field];
    if (value !== undefined) requireDuration(value, `retry.${field}`);
  }
  return policy;
}

/** Hooks of {@link withRetries}. */
export interface RetryHooks {
  /** Stops retrying (the last error is thrown). */
  signal?: AbortSignal | undefined;
  /** Hears of each failed try that will be retried (to report an outage while it lasts). */
  onRetry?: (error: RedisOperationError, attempt: number) => void;
  /**
   * The client the operation runs on: while it reconnects, a try waits for it, within the try's
   * timeout, instead of failing at once (a client without offline queue refuses commands until it
   * is ready). Without it a try is sent whatever the client's state.
   */
  connection?: Redis | undefined;
  /** Hears of each try that finds {@link RetryHooks.connection} reconnecting, before it waits. */
  onReconnecting?: () => void;
}

/** What a retried operation is about, for its error. */
export interface OperationLabel {
  /** Completes "could not …", for example `read the session of shard 3`. */
  operation: string;
  /** The shard concerned, if any. */
  shardId?: number | undefined;
}

/**
 * Rejects with the cause if `promise` does not settle within `ms`. The operation itself may still
 * complete on the server later: callers retry only operations that are safe to repeat.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Runs a Redis operation, retrying transient failures with capped exponential back-off and jitter,
 * each try bounded by a timeout. A permanent failure (the server refused the command, see
 * `failureKind`) ends it at once: the same command would be refused again. Only for operations that
 * are safe to repeat. Given the client (`hooks.connection`), a try made while it reconnects waits
 * for it within the try's timeout, so `attempts × timeoutMs` bounds how long an outage is waited out.
 *
 * @param label - names the operation in the error
 * @param operation - one try
 * @param policy - tries (may be `Infinity`), delays and timeout
 * @param hooks - cancellation, failure reports, the client to wait for while it reconnects
 * @returns the operation's result
 * @throws {@link RedisOperationError} after the last failed try or a permanent failure, with the
 *   client's error as cause
 */
export async function withRetries<T>(
  label: OperationLabel,
  operation: () => Promise<T>,
  policy: RetryPolicy = {},
  hooks: RetryHooks = {},
): Promise<T> {
  const { signal, onRetry } = hooks;
  const timeoutMs = policy.timeoutMs ?? DEFAULT_TRY_TIMEOUT_MS;
  const attempts = Math.max(1, policy.attempts ?? 3);
  const backoff = new Backoff({ baseMs: policy.baseDelayMs ?? 200, maxMs: policy.maxDelayMs ?? 5_000 });
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await sleepUnlessAborted(backoff.next(), signal);
    if (signal?.aborted && attempt > 1) break;
    try {
      return await oneTry(operation, timeoutMs, hooks);
    } catch (error) {
      lastError = error;
      if (failureKind(error) === 'permanent') break;
      if (attempt < attempts && signal?.aborted !== true) {
        onRetry?.(new RedisOperationError(label.operation, label.shardId, { cause: error }), attempt);
      }
    }
  }
  throw new RedisOperationError(label.operation, label.shardId, { cause: lastError });
}

/** One try within `timeoutMs`, the wait for a reconnecting client (see `RetryHooks.connection`) included. */
async function oneTry<T>(operation: () => Promise<T>, timeoutMs: number, hooks: RetryHooks): Promise<T> {
  const { connection, signal } = hooks;
  if (connection === undefined || !isReconnecting(connection)) return withTimeout(operation(), timeoutMs);
  hooks.onReconnecting?.();
  const startedAt = steadyNow();
  // Still not connected: the try is sent anyway and fails with the client's own error.
  await untilConnected(connection, timeoutMs, signal);
  return withTimeout(operation(), Math.max(1, timeoutMs - (steadyNow() - startedAt)));
}
