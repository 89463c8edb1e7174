import { announceRound } from './progress.js';

/**
 * `contenders` in the order round `round` runs them: rotated by one place per round, so over the
 * rounds every contender runs in every position equally often (first after a cool pause, last
 * after the others warmed the caches) and no position's advantage goes to one of them.
 *
 * @param contenders - the contenders in their table order
 * @param round - the round, from 0
 */
export function rotated<T>(contenders: readonly T[], round: number): T[] {
  const shift = contenders.length === 0 ? 0 : round % contenders.length;
  return [...contenders.slice(shift), ...contenders.slice(0, shift)];
}

/**
 * `contenders` in the order round `round` runs them, so that over every `2n` rounds (`n` contenders)
 * each one runs right after each other one equally often: a Williams design. {@link rotated}
 * balances positions but not predecessors (each contender follows the same one round after
 * round), which matters when one run leaves garbage or cold caches to the next.
 *
 * @param contenders - the contenders in their table order
 * @param round - the round, from 0
 */
export function predecessorBalanced<T>(contenders: readonly T[], round: number): T[] {
  const n = contenders.length;
  if (n === 0) return [];
  // The base sequence 0, 1, n−1, 2, n−2, …, shifted by the round; every other square reversed.
  const base: number[] = [];
  for (let index = 0; index < n; index++) {
    base.push(index === 0 ? 0 : index % 2 === 1 ? (index + 1) / 2 : n - index / 2);
  }
  const shifted = base.map((position) => contenders[(position + round) % n]!);
  return Math.floor(round / n) % 2 === 1 ? shifted.reverse() : shifted;
}

/**
 * Runs paired rounds: each round runs every contender once, back to back, in the rotated order of
 * {@link rotated}, so a slow spell of a shared machine spans all sides of a round's ratios.
 *
 * @param label - the benchmark, for the progress lines on stderr
 * @param contenders - who is measured, in table order
 * @param rounds - how many rounds
 * @param measure - measures one contender once
 * @param order - the order of a round's contenders ({@link rotated} by default)
 * @returns each contender's results, one per round, in round order
 */
export async function runPairedRounds<Name extends string, Result>(
  label: string,
  contenders: readonly Name[],
  rounds: number,
  measure: (contender: Name, round: number) => Promise<Result>,
  order: (contenders: readonly Name[], round: number) => Name[] = rotated,
): Promise<Map<Name, Result[]>> {
  const results = new Map<Name, Result[]>(contenders.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    announceRound(label, round, rounds);
    for (const contender of order(contenders, round)) {
      results.get(contender)!.push(await measure(contender, round));
    }
  }
  return results;
}
