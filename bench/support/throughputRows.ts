import type { ResultRow } from './report.js';
import type { ThroughputResult } from './ThroughputMeter.js';
import { median } from './stats.js';
import { micros, perSecond, rateOf } from './units.js';

/** Reads throughput rounds per contender: rates per round, and a table row per contender. */
export interface ThroughputRows<Name extends string> {
  /** Operations per second, one value per round. */
  rates(name: Name): number[];
  /**
   * How `name` compares with `against`: the rate of each round divided by the other's rate in the
   * same round, median over the rounds. A round runs every contender back to back, so a slow spell
   * of the machine that spans a round scales both sides of its ratio alike and cancels out, where
   * it would move one median and not the other.
   */
  ratio(name: Name, against: Name): number;
  /** A table row: rates per round, median CPU per operation, plus `extra` (ratios, target). */
  row(name: Name, extra?: Partial<ResultRow>): ResultRow;
}

/**
 * Turns the rounds of a throughput benchmark into rates and table rows, the same way for every
 * benchmark.
 *
 * @param results - the rounds of each contender
 */
export function throughputRows<Name extends string>(
  results: ReadonlyMap<Name, readonly ThroughputResult[]>,
): ThroughputRows<Name> {
  const rounds = (name: Name): readonly ThroughputResult[] => results.get(name) ?? [];
  const rates = (name: Name): number[] => rounds(name).map((round) => rateOf(round.operations, round.wallMs));
  return {
    rates,
    ratio: (name, against) => {
      const theirs = rates(against);
      return median(rates(name).map((rate, round) => rate / (theirs[round] ?? Number.NaN)));
    },
    row: (name, extra = {}) => ({
      contender: name,
      samples: rates(name),
      format: perSecond,
      cpuPerOp: micros(median(rounds(name).map((round) => (round.cpuMs * 1000) / round.operations))),
      ...extra,
    }),
  };
}
