import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY } from '../src/time/abort.js';
import { sleep, sleepUnlessAborted, waitAtMost } from '../src/time/sleep.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether `promise` has settled after the microtasks queued so far ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('sleep', () => {
  it('resolves once its time has passed, not before', async () => {
    const wait = sleep(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(wait)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(wait).resolves.toBeUndefined();
  });

  it('rejects with the reason of the first signal to abort, and leaves no timer behind', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const wait = sleep(1_000, undefined, first.signal, second.signal);
    second.abort(new Error('shutdown'));
    await expect(wait).rejects.toThrow('shutdown');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops listening to the other signals once one of them aborts it', async () => {
    const callers = [new AbortController(), new AbortController(), new AbortController()];
    const shutdown = new AbortController();
    const waits = callers.map((caller) => sleep(10_000, caller.signal, shutdown.signal).catch(() => 'ended'));
    for (const caller of callers) caller.abort(new Error('caller left'));
    expect(await Promise.all(waits)).toEqual(['ended', 'ended', 'ended']);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once on a signal that aborted already', async () => {
    await expect(sleep(1_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('caps a delay beyond what timers hold instead of firing after 1 ms', async () => {
    const wait = sleep(MAX_TIMER_DELAY * 2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await settled(wait)).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY);
    await expect(wait).resolves.toBeUndefined();
  });
});

describe('sleepUnlessAborted', () => {
  it('resolves early, without rejecting, when its signal aborts', async () => {
    const controller = new AbortController();
    const wait = sleepUnlessAborted(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(wait).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is over at once, without a timer, for no time or an aborted signal', async () => {
    expect(await settled(sleepUnlessAborted(0))).toBe(true);
    expect(await settled(sleepUnlessAborted(5_000, AbortSignal.abort()))).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('waitAtMost', () => {
  it('stops waiting at its bound, never rejects, and clears its timer when the work ends first', async () => {
    const never = new Promise<void>(() => undefined);
    const bounded = waitAtMost(never, 500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(bounded).resolves.toBeUndefined();

    const failing = waitAtMost(Promise.reject(new Error('handled where it was made')), 500);
    await expect(failing).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
