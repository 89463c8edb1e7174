import type { RequestOptions } from '../rest/RequestOptions.js';

/** Per-call controls every endpoint method accepts as its last argument. */
export type CallOptions = Pick<RequestOptions, 'signal' | 'timeout' | 'retryOnTimeout'>;

/**
 * Copies the controls that are set, so optional properties stay absent rather than `undefined`.
 *
 * @param options - the caller's controls
 */
export function callControls(options: CallOptions | undefined): CallOptions {
  const controls: CallOptions = {};
  if (options?.signal !== undefined) controls.signal = options.signal;
  if (options?.timeout !== undefined) controls.timeout = options.timeout;
  if (options?.retryOnTimeout !== undefined) controls.retryOnTimeout = options.retryOnTimeout;
  return controls;
}
