import { describe, expect, it } from 'vitest';
import { sleepUnlessAborted } from '../src/time/sleep.js';

// Real timers: whether a timer keeps the process alive is Node's own bookkeeping.

/** Timers keeping the event loop alive (an unref'd timer is not listed). */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('sleepUnlessAborted with unref', () => {
  it('waits without keeping the process alive', async () => {
    const before = liveTimers();
    const stop = new AbortController();
    const wait = sleepUnlessAborted(60_000, stop.signal, { unref: true });
    expect(liveTimers()).toBe(before);
    stop.abort();
    await wait;
  });

  it('still ends when its time has passed', async () => {
    await expect(sleepUnlessAborted(5, undefined, { unref: true })).resolves.toBeUndefined();
  });

  it('keeps the process alive by default', async () => {
    const before = liveTimers();
    const stop = new AbortController();
    const wait = sleepUnlessAborted(60_000, stop.signal);
    expect(liveTimers()).toBe(before + 1);
    stop.abort();
    await wait;
    expect(liveTimers()).toBe(before);
  });
});
