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
 * Runs paired rounds: each round runs every contender once, back to back, in the rotated order of
 * {@link rotated}, so a slow spell of a shared machine spans all sides of a round's ratios.
 *
 * @param label - the benchmark, for the progress lines on stderr
 * @param contenders - who is measured, in table order
 * @param rounds - how many rounds
 * @param measure - measures one contender once
 * @returns each contender's results, one per round, in round order
 */
export async function runPairedRounds<Name extends string, Result>(
  label: string,
  contenders: readonly Name[],
  rounds: number,
  measure: (contender: Name, round: number) => Promise<Result>,
): Promise<Map<Name, Result[]>> {
  const results = new Map<Name, Result[]>(contenders.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    announceRound(label, round, rounds);
    for (const contender of rotated(contenders, round)) {
      results.get(contender)!.push(await measure(contender, round));
    }
  }
  return results;
}
