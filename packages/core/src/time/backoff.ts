/** Shape of an exponential back-off. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  base: number;
  /** Upper bound of any delay, in milliseconds. */
  max: number;
}

/**
 * Exponential back-off with jitter: a random delay in `[d/2, d]` where `d = base · 2^attempt`,
 * capped at `max` (half of it fixed, so a retry never comes at once). Jitter keeps many clients
 * that failed together from retrying together.
 *
 * @param attempt - 0 for the first retry
 * @param options - base and cap
 * @param random - source of randomness in `[0, 1)`; injectable for tests
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.max, options.base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
