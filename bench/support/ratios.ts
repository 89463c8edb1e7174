import { noiseOf, pairedRatios, summarize, verdictOf, type Summary } from './stats.js';
import { times } from './units.js';

/** How one ratio column compares contenders with a baseline, round by round. */
export interface PairedComparison {
  /** Per-round values of each contender, in round order (rates, times, bytes). */
  values(name: string): readonly number[];
  /** The baseline's name, as the ratio cells show it (`bare ws`). */
  baselineLabel: string;
  /** The baseline contender. */
  baseline: string;
  /** The baseline measured a second time in every round: the control. */
  control: string;
  /** Whether a larger value is better (rates) or a smaller one (times, bytes). */
  higherIsBetter: boolean;
  /** Contenders that do strictly more than the baseline and so cannot beat it. */
  bounded: ReadonlySet<string>;
}

/** `0.97× [0.95–0.99]`: a ratio's median and interquartile range. */
export function spreadText(summary: Summary): string {
  return `${times(summary.median)} [${summary.q1.toFixed(2)}–${summary.q3.toFixed(2)}]`;
}

/**
 * Per-round ratios of `name` against the comparison's baseline, summarised. Ratios of rates are
 * ours/theirs (above 1: faster); ratios of times and sizes are ours/theirs too (above 1: more).
 */
export function ratioSummary(comparison: PairedComparison, name: string): Summary {
  return summarize(pairedRatios(comparison.values(name), comparison.values(comparison.baseline)));
}

/**
 * The ratio cell of `name`: median and interquartile range of its paired ratios, the contender it
 * is against (the baseline unless `against` names another), and the verdict the control row
 * allows (`equal` inside the noise floor, which is always the baseline's control).
 *
 * @param comparison - values, baseline and control
 * @param name - the contender
 * @param against - another contender to compare with, and how the cell names it
 */
export function ratioCell(
  comparison: PairedComparison,
  name: string,
  against?: { name: string; label: string },
): string {
  const { baseline, control } = comparison;
  const controlSummary = ratioSummary(comparison, control);
  if (against === undefined) {
    if (name === baseline) return '1.00× (baseline)';
    if (name === control) {
      return `${spreadText(controlSummary)} itself: noise ±${(noiseOf(controlSummary) * 100).toFixed(1)} %`;
    }
  }
  const other = against ?? { name: baseline, label: comparison.baselineLabel };
  const summary = ratioSummary({ ...comparison, baseline: other.name }, name);
  const bounded = against === undefined && comparison.bounded.has(name);
  const verdict = verdictOf(summary, controlSummary, bounded, comparison.higherIsBetter);
  return `${spreadText(summary)} ${other.label}: ${verdict}`;
}
