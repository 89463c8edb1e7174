/**
 * When the events handled in the current synchronous run arrived, in milliseconds since the
 * epoch: the clock is read by the run's first call, and every later call of the same run gets
 * that value. A microtask queued by the first call ends the run, so the next one reads the clock
 * again.
 *
 * Why: a socket hands the client a chunk of frames at a time, and every frame of a chunk is parsed,
 * modelled and handed to synchronous handlers before any microtask runs. They all arrived when the
 * chunk was read; reading the clock once per model cost about 45 ns on a machine whose clock reads
 * take that long (measured on the ingest benchmark's mix), more than a tenth of what the client adds
 * to an event. A synchronous handler that takes long does not make the later events of its run
 * look newer than they are: they were on the socket by then.
 *
 * Every model's reply window opens at the earlier of this stamp and the time the payload states
 * (see `replyWindowOpenedAt`, docs/protocol.md §15.2).
 */
export function arrivalTime(): number {
  if (!stampValid) {
    stamp = Date.now();
    stampValid = true;
    queueMicrotask(endRun);
  }
  return stamp;
}

let stamp = 0;
let stampValid = false;

function endRun(): void {
  stampValid = false;
}
