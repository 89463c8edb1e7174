import { steadyNow } from '@bot/core';

/**
 * When the events modelled in the current synchronous run arrived, in milliseconds since the
 * epoch: the run's first call reads the clock, and every later call of the same run gets that
 * value. The run ends at the next microtask checkpoint; the call after it reads the clock again.
 *
 * Why: a socket hands the client a chunk of frames at a time, and a lane that keeps up parses,
 * models and hands each frame of a chunk to its handlers before any microtask runs. Those frames
 * all arrived when the chunk was read. A clock read costs about 45 ns on the machines this was
 * measured on, a tenth of what the client adds to an event. Measured on the clock alone, paired
 * over 12 rounds of 20,000 turns of the event loop: with 120 frames per turn, one read for all of
 * them saved about 42 ns per frame; with one frame per turn, the end-of-run reaction cost about
 * 20 ns more than a plain read, beside the ~2 µs of the turn itself. On the ingest mix through the
 * dispatcher (120 per turn), paired in one process, it saved 73 ns [46–115] per event.
 *
 * What the stamp means: the time of the run that built the model. An event that waited in its
 * shard's lane (behind `async` handlers at the concurrency limit) is modelled, and stamped, when
 * it starts, as it was when each model read the clock itself. Models built in one run by other
 * code (a test, say) share that run's stamp too, even if a fake clock moved in between.
 *
 * Every model's reply window opens at the earlier of this stamp and the time the payload states
 * (see `replyWindowOpenedAt`, docs/protocol.md §15.2); each model reads {@link steadyArrivalTime}
 * beside it, one more clock read per run.
 */
export function arrivalTime(): number {
  if (!stampValid) {
    stamp = Date.now();
    stampValid = true;
    endRunSoon();
  }
  return stamp;
}

/**
 * The same instant on the steady clock (`steadyNow` of core), read once per synchronous run as
 * {@link arrivalTime} is: the start of a wait measured locally (a handler's deadline), which a
 * wall clock stepped meanwhile must neither cut short nor stretch, and every model's reply window,
 * which is judged on both clocks (see `ReplyWindow`).
 *
 * @returns the run's first reading of the steady clock, in milliseconds
 */
export function steadyArrivalTime(): number {
  if (!steadyStampValid) {
    steadyStamp = steadyNow();
    steadyStampValid = true;
    endRunSoon();
  }
  return steadyStamp;
}

let stamp = 0;
let stampValid = false;
let steadyStamp = 0;
let steadyStampValid = false;
let runEnding = false;
const settled = Promise.resolve();

function endRunSoon(): void {
  if (runEnding) return;
  runEnding = true;
  // A reaction of a native promise, not queueMicrotask: fake timers (Jest's and sinon's by
  // default) replace queueMicrotask and could hold the run open past the test that faked it.
  void settled.then(endRun);
}

function endRun(): void {
  stampValid = false;
  steadyStampValid = false;
  runEnding = false;
}
