/** When each benchmark's first round started, for the time-left estimate. */
const started = new Map<string, number>();

/**
 * Says on stderr which round is starting, with the time spent and an estimate of the time left:
 * `ingest: round 3/15 (21 s so far, about 84 s left)`, so a long run shows it is moving (stdout
 * carries only the results table).
 *
 * @param label - the benchmark, with what varies inside it: `memory, 64 shards`
 * @param index - the round about to run, from 0
 * @param rounds - how many rounds there are
 */
export function announceRound(label: string, index: number, rounds: number): void {
  const now = Date.now();
  if (index === 0) started.set(label, now);
  const spentS = (now - (started.get(label) ?? now)) / 1000;
  const timing =
    index === 0
      ? ''
      : ` (${spentS.toFixed(0)} s so far, about ${((spentS / index) * (rounds - index)).toFixed(0)} s left)`;
  process.stderr.write(`  ${label}: round ${index + 1}/${rounds}${timing}\n`);
}
