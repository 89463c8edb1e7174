/** The centre and spread of a benchmark's rounds. */
export interface Summary {
  /** Median of the rounds: one slow round (a busy neighbour, a GC) does not move it. */
  median: number;
  /** Fastest or smallest round. */
  min: number;
  /** Slowest or largest round. */
  max: number;
}

/**
 * Summarises the rounds of one measurement.
 *
 * @param samples - one value per round, at least one
 * @throws {RangeError} when there are no samples or one of them is not a finite number
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('a measurement needs at least one round');
  if (!samples.every(Number.isFinite))
    throw new RangeError(`rounds must be finite numbers: ${samples.join(', ')}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/**
 * The median of `samples`.
 *
 * @param samples - one value per round, at least one
 */
export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}
