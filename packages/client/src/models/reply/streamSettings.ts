import { MAX_TIMER_DELAY, requireInteger, type ValidationError } from '@bot/core';
import {
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  DEFAULT_STREAM_INTERVAL_MS,
  DEFAULT_STREAM_MAX_LENGTH,
  MIN_STREAM_INTERVAL_MS,
  type ReplyStreamOptions,
} from './replyStreamOptions.js';

/** The timing and length settings of one stream, checked and with the defaults filled in. */
export interface StreamSettings {
  /** Least time between two frames, in ms. */
  readonly intervalMs: number;
  /** Longest text the stream accepts, in characters. */
  readonly maxLength: number;
  /** How long the stream may go without a `write()` before it is aborted, in ms. */
  readonly idleTimeoutMs: number;
}

/**
 * Resolves a stream's options once, so the stream reads plain numbers.
 *
 * @throws {@link ValidationError} for an `intervalMs` below {@link MIN_STREAM_INTERVAL_MS}, a
 *   `maxLength` or `idleTimeoutMs` that is not an integer ≥ 1, or an `intervalMs` or
 *   `idleTimeoutMs` above {@link MAX_TIMER_DELAY} (a longer timer fires at once in Node)
 */
export function streamSettings(options: ReplyStreamOptions): StreamSettings {
  return {
    intervalMs: requireInteger(
      options.intervalMs ?? DEFAULT_STREAM_INTERVAL_MS,
      'options.intervalMs',
      MIN_STREAM_INTERVAL_MS,
      MAX_TIMER_DELAY,
    ),
    maxLength: requireInteger(options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH, 'options.maxLength', 1),
    idleTimeoutMs: requireInteger(
      options.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
      'options.idleTimeoutMs',
      1,
      MAX_TIMER_DELAY,
    ),
  };
}
