import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HANDLER_SETUP_DEADLINE_MS } from '../../src/workers/loadThreadHandler.js';
import { type Silence, STARTING_SILENCE_MS, ThreadWatchdog } from '../../src/workers/ThreadWatchdog.js';

// A thread loading its handler module may answer a question while the module is still being
// fetched, then evaluate it in one long synchronous stretch: until it has loaded, it keeps the
// loading allowance, not just until its first answer.

const UNRESPONSIVE_MS = 1_000;

afterEach(() => {
  vi.useRealTimers();
});

/** A watchdog on a fake thread that answers each question at once while `answering` says so. */
function watched(isLoaded: () => boolean) {
  let answering = true;
  const verdicts: Silence[] = [];
  const watchdog: ThreadWatchdog = new ThreadWatchdog(UNRESPONSIVE_MS, isLoaded, (silence) =>
    verdicts.push(silence),
  );
  const worker = {
    postMessage: () => {
      if (answering) queueMicrotask(() => watchdog.heard());
    },
  } as unknown as Worker;
  watchdog.watch(worker);
  return {
    verdicts,
    fallSilent: () => {
      answering = false;
    },
    watchdog,
  };
}

describe('the loading allowance of a worker thread', () => {
  it('is at least the handler setup deadline', () => {
    expect(STARTING_SILENCE_MS).toBeGreaterThanOrEqual(HANDLER_SETUP_DEADLINE_MS);
  });

  it('lasts until the thread has loaded, not only until its first answer', async () => {
    vi.useFakeTimers();
    const { verdicts, fallSilent, watchdog } = watched(() => false);
    await vi.advanceTimersByTimeAsync(2 * UNRESPONSIVE_MS); // answered several questions
    fallSilent(); // evaluating its module, say
    await vi.advanceTimersByTimeAsync(STARTING_SILENCE_MS - UNRESPONSIVE_MS / 2);
    expect(verdicts).toEqual([]);
    await vi.advanceTimersByTimeAsync(UNRESPONSIVE_MS);
    expect(verdicts).toEqual([
      { silentMs: expect.any(Number), allowedMs: STARTING_SILENCE_MS, loaded: false },
    ]);
    expect(verdicts[0]?.silentMs).toBeGreaterThanOrEqual(STARTING_SILENCE_MS);
    watchdog.stop();
  });

  it('gives way to unresponsiveMs once the thread has loaded', async () => {
    vi.useFakeTimers();
    let loaded = false;
    const { verdicts, fallSilent, watchdog } = watched(() => loaded);
    await vi.advanceTimersByTimeAsync(UNRESPONSIVE_MS);
    loaded = true;
    fallSilent();
    await vi.advanceTimersByTimeAsync(2 * UNRESPONSIVE_MS);
    expect(verdicts).toEqual([{ silentMs: expect.any(Number), allowedMs: UNRESPONSIVE_MS, loaded: true }]);
    expect(verdicts[0]?.silentMs).toBeGreaterThanOrEqual(UNRESPONSIVE_MS);
    watchdog.stop();
  });
});
