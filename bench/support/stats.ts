/**
 * The statistics every benchmark publishes, written once: the median and interquartile range of
 * rounds, ratios paired round by round, and the verdict a ratio earns against the control row
 * (the baseline measured against itself), whose spread is the noise floor of the run.
 */

/** The centre and spread of a benchmark's rounds. */
export interface Summary {
  /** Median of the rounds: one slow round (a busy neighbour, a GC) does not move it. */
  median: number;
  /** First quartile (25th percentile, linear interpolation between closest ranks). */
  q1: number;
  /** Third quartile (75th percentile). */
  q3: number;
  /** Smallest round. */
  min: number;
  /** Largest round. */
  max: number;
}

/** The `p`-quantile of ascending `sorted`, interpolated linearly between the closest ranks. */
function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
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
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/**
 * The median of `samples`.
 *
 * @param samples - one value per round, at least one
 */
export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}

/**
 * Per-round ratios `ours[i] / theirs[i]`: both sides of a ratio come from the same round, so a slow
 * spell of a shared machine that spans the round scales both and cancels out.
 *
 * @param ours - one value per round
 * @param theirs - one value per round, as many as `ours`
 * @throws {RangeError} when the rounds do not pair up or a divisor is not positive
 */
export function pairedRatios(ours: readonly number[], theirs: readonly number[]): number[] {
  if (ours.length !== theirs.length || ours.length === 0) {
    throw new RangeError(
      `paired ratios need as many rounds on both sides (${ours.length} vs ${theirs.length})`,
    );
  }
  return ours.map((value, round) => {
    const divisor = theirs[round]!;
    if (!(divisor > 0)) throw new RangeError(`round ${round + 1}: cannot divide by ${divisor}`);
    return value / divisor;
  });
}

/**
 * How far from 1 the control's ratios stray: the larger distance of its quartiles from 1. A ratio
 * whose median is within `1 ± noise` is no measured difference.
 *
 * @param control - summary of the control's per-round ratios (baseline against itself)
 */
export function noiseOf(control: Summary): number {
  return Math.max(Math.abs(control.q1 - 1), Math.abs(control.q3 - 1));
}

/** What a ratio may claim. */
export type Verdict = 'equal' | 'better' | 'worse';

/**
 * The verdict a paired ratio earns: `equal` when its median lies inside the control's spread
 * (`1 ± noiseOf(control)`), and `equal` too when it lies above it but the contender does strictly
 * more than the baseline (`boundedByBaseline`): such a contender cannot be faster by
 * construction, so a ratio above 1 is noise the control did not catch, never a win.
 *
 * @param ratio - summary of the contender's per-round ratios against the baseline
 * @param control - summary of the control's per-round ratios
 * @param boundedByBaseline - the contender does everything the baseline does, and more
 * @param higherIsBetter - whether a larger value is the better one (rates: yes; times: no)
 */
export function verdictOf(
  ratio: Summary,
  control: Summary,
  boundedByBaseline: boolean,
  higherIsBetter = true,
): Verdict {
  const noise = noiseOf(control);
  if (Math.abs(ratio.median - 1) <= noise) return 'equal';
  const better = higherIsBetter ? ratio.median > 1 : ratio.median < 1;
  if (better && boundedByBaseline) return 'equal';
  return better ? 'better' : 'worse';
}
