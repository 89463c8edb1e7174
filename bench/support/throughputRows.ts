import type { ResultRow } from './report.js';
import { ratioCell, ratioSummary, type PairedComparison } from './ratios.js';
import type { Summary } from './stats.js';
import { median } from './stats.js';
import type { ThroughputResult } from './ThroughputMeter.js';
import { micros, millis, perSecond, rateOf } from './units.js';

/** One round of one contender: steady-state throughput, plus the whole process when measured. */
export interface ThroughputRound extends ThroughputResult {
  /** From the contender's start to its first READY, in ms (gateway contenders only). */
  startupMs?: number;
  /** From spawning its process to the process's exit, every event handled, in ms. */
  processMs?: number;
}

/** Who a throughput benchmark compares against, and who can never beat them. */
export interface ThroughputBaseline<Name extends string> {
  /** The baseline contender. */
  baseline: Name;
  /** How ratio cells name it (`bare ws`). */
  label: string;
  /** The baseline run a second time in every round. */
  control: Name;
  /** Contenders doing strictly more than the baseline. */
  bounded: readonly Name[];
}

/** Reads throughput rounds per contender: rates, paired ratios, and a table row per contender. */
export interface ThroughputRows<Name extends string> {
  /** Operations per second, one value per round. */
  rates(name: Name): number[];
  /** `name`'s per-round steady-state ratios against the baseline. */
  ratio(name: Name): Summary;
  /** `name`'s per-round startup-time ratios against the baseline (above 1: slower). */
  startupRatio(name: Name): Summary;
  /** A steady-state ratio cell of `name` against another contender, named `label`. */
  cellAgainst(name: Name, against: Name, label: string): string;
  /** A startup-time ratio cell of `name` against another contender, named `label` (above 1: slower). */
  startupAgainst(name: Name, against: Name, label: string): string;
  /**
   * A table row: rates per round, median CPU per operation, the paired ratio against the
   * baseline with its verdict, the whole-process and startup columns when measured, plus `extra`
   * (more ratio cells, a target) and `startupCells` (more startup ratio cells).
   */
  row(name: Name, extra?: Partial<ResultRow>, startupCells?: readonly string[]): ResultRow;
}

/**
 * Turns the paired rounds of a throughput benchmark into rates and table rows, the same way for
 * every benchmark.
 *
 * @param results - the rounds of each contender, paired by index
 * @param baseline - the baseline, its control, and the contenders it bounds
 */
export function throughputRows<Name extends string>(
  results: ReadonlyMap<Name, readonly ThroughputRound[]>,
  baseline: ThroughputBaseline<Name>,
): ThroughputRows<Name> {
  const rounds = (name: string): readonly ThroughputRound[] => results.get(name as Name) ?? [];
  const rates = (name: string): number[] =>
    rounds(name).map((round) => rateOf(round.operations, round.wallMs));
  const comparison = (values: (name: string) => number[], higherIsBetter: boolean): PairedComparison => ({
    values,
    baseline: baseline.baseline,
    baselineLabel: baseline.label,
    control: baseline.control,
    higherIsBetter,
    bounded: new Set(baseline.bounded),
  });
  const steady = comparison(rates, true);
  const processMs = (name: string): number[] => rounds(name).map((round) => round.processMs ?? Number.NaN);
  // Whole process as a rate (runs per second), so its ratio reads like the steady-state one.
  const whole = comparison((name) => processMs(name).map((ms) => 1000 / ms), true);
  const startupMs = (name: string): number[] => rounds(name).map((round) => round.startupMs ?? Number.NaN);
  const startup = comparison(startupMs, false);
  const measured = (values: number[]): boolean => values.length > 0 && values.every(Number.isFinite);
  return {
    rates,
    ratio: (name) => ratioSummary(steady, name),
    startupRatio: (name) => ratioSummary(startup, name),
    cellAgainst: (name, against, label) => ratioCell(steady, name, { name: against, label }),
    startupAgainst: (name, against, label) => ratioCell(startup, name, { name: against, label }),
    row: (name, extra = {}, startupCells = []) => ({
      contender: name,
      samples: rates(name),
      format: perSecond,
      cpuPerOp: micros(median(rounds(name).map((round) => (round.cpuMs * 1000) / round.operations))),
      ...extra,
      ratios: [ratioCell(steady, name), ...(extra.ratios ?? [])],
      ...(measured(processMs(name)) && {
        wholeProcess: `${millis(median(processMs(name)))}, ${ratioCell(whole, name)}`,
      }),
      ...(measured(startupMs(name)) && {
        startup: [`${millis(median(startupMs(name)))}, ${ratioCell(startup, name)}`, ...startupCells].join(
          '; ',
        ),
      }),
    }),
  };
}
