/**
 * Says on stderr which round is starting, `ingest: round 3/15`, so a long run shows it is
 * moving (stdout carries only the results table).
 *
 * @param label - the benchmark, with what varies inside it: `memory, 64 shards`
 * @param index - the round about to run, from 0
 * @param rounds - how many rounds there are
 */
export function announceRound(label: string, index: number, rounds: number): void {
  process.stderr.write(`  ${label}: round ${index + 1}/${rounds}\n`);
}
