/**
 * The worker-threads benchmark's handler module for the rows whose handler runs on the threads
 * (`workerThreads({ handler })`): spins the job's CPU time per event and counts the events of
 * every thread in shared memory, where the main thread reads the clock's start and end. Plain
 * JavaScript: a thread of the built package cannot load TypeScript.
 */
import { performance } from 'node:perf_hooks';

/** Keeps the thread busy for `micros` microseconds: a handler doing CPU work. */
function work(micros) {
  const end = performance.now() + micros / 1000;
  while (performance.now() < end) {
    // spin
  }
}

/**
 * @param {{ data: { shared: SharedArrayBuffer, micros: number, warmup: number, total: number } }} context
 */
export default function setup({ data }) {
  const { shared, micros, warmup, total } = data;
  // [events seen, phase (0 warming up, 1 measuring, 2 done)], then [start, end] in epoch ms.
  const counters = new Int32Array(shared, 0, 2);
  const times = new Float64Array(shared, 8, 2);
  const phase = (value, at) => {
    times[value - 1] = performance.timeOrigin + performance.now();
    Atomics.store(counters, 1, value);
    Atomics.notify(counters, 1);
    return at;
  };
  return {
    dispatch(payload) {
      if (payload.t === 'READY') return;
      work(micros);
      const seen = Atomics.add(counters, 0, 1) + 1;
      if (seen === warmup) phase(1, seen);
      else if (seen === total) phase(2, seen);
    },
  };
}
