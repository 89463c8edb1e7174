import { describe, expect, it, vi } from 'vitest';
import { steadyNow } from '@bot/core';
import { QueueTooDeepError } from '../src/rest/ratelimit/QueueTooDeepError.js';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

// A call is refused at once, as never sent, only when the calls ahead of it that must send before
// it starts (or hold their slot past its deadline) need longer than its deadline leaves. Calls
// ahead that may leave unsent first (their own deadline comes sooner, or their caller may abort)
// free their slot at once, with no hold, so they do not count against it.

const MESSAGES = 'POST /channels/{channel_id}/messages';
const KEY = routeKey('POST', '/channels/{channel_id}/messages', { channel_id: 'c1' });
const answerIn = (ms: number) => () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), ms));
const instant = () => Promise.resolve('ok');
/** Schedules a call whose ending the test does not look at (the limiter's end rejects it). */
const ahead = (
  limits: RateLimitManager,
  task: () => Promise<string>,
  deadline: number,
  signal?: AbortSignal,
) => void limits.schedule(KEY, MESSAGES, task, signal, deadline).catch(() => undefined);

/** What a scheduled call came to, and when (ms from the test's start). */
type Ending = { sentAt: number } | { refusedAt: number; error: unknown };

describe('the refusal of a call its route queue cannot reach in time', () => {
  let limits: RateLimitManager;
  useLimiterClock(() => limits);

  const track = (promise: Promise<unknown>, start: number, endings: Ending[]) =>
    promise.then(
      () => endings.push({ sentAt: steadyNow() - start }),
      (error: unknown) => endings.push({ refusedAt: steadyNow() - start, error }),
    );

  it('lets through a call whose queue ahead may leave unsent before its turn', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    // 5 sends answered after 600 ms hold the window's slots until 1600 ms.
    for (let i = 0; i < 5; i++) ahead(limits, answerIn(600), start + 10_000);
    // 10 calls that give up at 1100 ms wait behind them: they leave unsent, freeing nothing held.
    const low: Ending[] = [];
    for (let i = 0; i < 10; i++)
      void track(limits.schedule(KEY, MESSAGES, instant, undefined, start + 1_100), start, low);
    const important: Ending[] = [];
    void track(limits.schedule(KEY, MESSAGES, instant, undefined, start + 1_900), start, important);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(low).toHaveLength(10);
    expect(low.every((ending) => 'refusedAt' in ending)).toBe(true);
    expect(important).toEqual([{ sentAt: 1_600 }]);
  });

  it('still refuses a call behind calls that cannot leave before it (no signal, a later deadline)', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, answerIn(600), start + 10_000);
    for (let i = 0; i < 10; i++) ahead(limits, instant, start + 10_000);
    const refused = await limits
      .schedule(KEY, MESSAGES, instant, undefined, start + 1_900)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueTooDeepError);
    expect(refused).toMatchObject({ wait: 2_000, pauseMs: 0 });
  });

  it('refuses behind calls sharing its signal, and lets through behind calls with a signal of their own', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    const shared = new AbortController();
    for (let i = 0; i < 5; i++) ahead(limits, answerIn(600), start + 10_000);
    for (let i = 0; i < 10; i++) ahead(limits, instant, start + 10_000, shared.signal);
    const sameSignal = await limits
      .schedule(KEY, MESSAGES, instant, shared.signal, start + 1_900)
      .catch((e: unknown) => e);
    expect(sameSignal).toBeInstanceOf(QueueTooDeepError);

    const ownSignal: Ending[] = [];
    void track(
      limits.schedule(KEY, MESSAGES, instant, new AbortController().signal, start + 1_900),
      start,
      ownSignal,
    );
    await vi.advanceTimersByTimeAsync(5);
    // The 10 ahead of it may all be aborted by their caller: it waits, and sends when they do.
    expect(ownSignal).toEqual([]);
    shared.abort(new Error('caller gave up'));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ownSignal).toEqual([{ sentAt: 1_600 }]);
  });

  it('counts a pause the calls ahead must wait out first', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, instant, start + 10_000);
    for (let i = 0; i < 5; i++) ahead(limits, instant, start + 10_000);
    limits.pauseRoute(KEY, 1_500);
    // One window for the 5 ahead, after a pause of 1500 ms: 2500 ms at least.
    const refused = await limits
      .schedule(KEY, MESSAGES, instant, undefined, start + 2_400)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueTooDeepError);
    expect(refused).toMatchObject({ wait: 2_500, pauseMs: 1_500 });
    const admitted: Ending[] = [];
    void track(limits.schedule(KEY, MESSAGES, instant, undefined, start + 2_600), start, admitted);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(admitted).toHaveLength(1);
    expect(admitted[0]).not.toHaveProperty('error');
  });
});
