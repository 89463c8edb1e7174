import { describe, expect, it, vi } from 'vitest';
import { steadyNow } from '@bot/core';
import { RateLimitedError } from '../src/errors/RateLimitedError.js';
import { QueueTooDeepError } from '../src/rest/ratelimit/QueueTooDeepError.js';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

// A call is refused at once, as never sent, only when its turn by the estimate comes at or after
// its deadline: the calls ahead of it, in order, each take the next turn of the route's window if
// it comes before their own deadline, and leave unsent taking none otherwise; every send is
// assumed answered in the moving average of its endpoint's answer times (at once before any). A call ahead
// that gives up a turn's spacing or more before the new one takes none either: slower answers than
// the estimate would pass its turn on to the new call in time.

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

/** What the client tells its caller of a refusal by the queue. */
const refusal = ({ wait, pauseMs, queued }: QueueTooDeepError) =>
  new RateLimitedError(
    'POST',
    '/channels/{channel_id}/messages',
    wait,
    429,
    undefined,
    'timeout',
    false,
    pauseMs,
    false,
    queued,
  ).message;

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
    // No send answered yet: the 5 in flight are assumed answered at once, freeing their slots in a window.
    expect(refused).toMatchObject({ wait: 3_000, pauseMs: 0 });
  });

  it('refuses a call of a burst whose turn comes after its deadline, whatever the calls ahead give up first', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    // A burst: 40 calls made at once, each with a 3 s timeout.
    const endings: Ending[] = [];
    for (let i = 0; i < 40; i++)
      void track(limits.schedule(KEY, MESSAGES, instant, undefined, start + 3_000), start, endings);
    await vi.advanceTimersByTimeAsync(1);
    const refusedAtOnce = endings.filter((ending) => 'refusedAt' in ending);
    // 5 sent at once, 10 in the next two windows; the 25 after them only at their deadline.
    expect(refusedAtOnce).toHaveLength(25);
    for (const ending of refusedAtOnce) {
      expect(ending).toMatchObject({ error: expect.any(QueueTooDeepError) });
      expect((ending as { refusedAt: number }).refusedAt).toBeLessThan(5);
    }
    await vi.advanceTimersByTimeAsync(4_000);
    expect(endings.filter((ending) => 'sentAt' in ending)).toHaveLength(15);
  });

  it('counts calls ahead with a signal of their own: an abort is not foreseen', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, answerIn(600), start + 10_000);
    for (let i = 0; i < 10; i++) ahead(limits, instant, start + 10_000, new AbortController().signal);
    const refused = await limits
      .schedule(KEY, MESSAGES, instant, new AbortController().signal, start + 1_900)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QueueTooDeepError);
  });

  it('lets through a call behind calls giving up less than a turn before it only when their turns come in time', async () => {
    limits = new RateLimitManager();
    const start = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, instant, start + 10_000);
    // 5 waiting calls have their turn at 1000 ms, before their deadline at 1850 ms.
    for (let i = 0; i < 5; i++) ahead(limits, instant, start + 1_850);
    const refused = await limits
      .schedule(KEY, MESSAGES, instant, undefined, start + 1_900)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ wait: 2_000, queued: { depth: 5 } });

    // Behind calls whose turn at 1000 ms comes after their deadline at 950 ms, its own comes at 1000 ms.
    limits.destroy();
    limits = new RateLimitManager();
    const again = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, instant, again + 10_000);
    for (let i = 0; i < 5; i++) ahead(limits, instant, again + 950);
    const behindLate: Ending[] = [];
    void track(limits.schedule(KEY, MESSAGES, instant, undefined, again + 1_100), again, behindLate);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(behindLate).toEqual([{ sentAt: 1_000 }]);
  });

  it('assumes sends are answered as fast as the endpoint has answered', async () => {
    // 5 sends answered after 900 ms, 5 calls giving up at 1850 ms, a new one giving up at 1950 ms:
    // the new one is sent at 1900 ms when answers take 900 ms (those ahead meet no turn in time),
    // but would time out in the queue with answers in under 850 ms or 950 ms or more.
    const scenario = async (): Promise<Ending[]> => {
      const start = steadyNow();
      for (let i = 0; i < 5; i++) ahead(limits, answerIn(900), start + 10_000);
      for (let i = 0; i < 5; i++) ahead(limits, instant, start + 1_850);
      const endings: Ending[] = [];
      void track(limits.schedule(KEY, MESSAGES, instant, undefined, start + 1_950), start, endings);
      await vi.advanceTimersByTimeAsync(3_000);
      return endings;
    };
    // On a route that has answered no send, sends are assumed answered at once: refused.
    limits = new RateLimitManager();
    const fresh = await scenario();
    expect(fresh).toMatchObject([{ refusedAt: 0, error: { wait: 2_000, queued: { depth: 5 } } }]);
    expect(fresh[0]).toMatchObject({ error: { queued: { answerMs: undefined } } });
    const told = refusal((fresh[0] as { error: QueueTooDeepError }).error);
    expect(told).toContain('its turn comes in about 2000 ms');
    expect(told).toContain('every send answered at once, as none to that endpoint was answered yet');
    expect(told).not.toContain('at the earliest');

    // Once the endpoint has answered a send in 900 ms (on any route key), the same queue is
    // estimated right: sent.
    limits.destroy();
    limits = new RateLimitManager();
    const first: Ending[] = [];
    void track(
      limits.schedule(KEY, MESSAGES, answerIn(900), undefined, steadyNow() + 10_000),
      steadyNow(),
      first,
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(first).toEqual([{ sentAt: 900 }]);
    expect(await scenario()).toEqual([{ sentAt: 1_900 }]);

    // The answers so far (900 ms, then 0 ms for the new call) average 675 ms: a call slow answers
    // leave no time for is still refused.
    const start = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, answerIn(900), start + 10_000);
    for (let i = 0; i < 5; i++) ahead(limits, instant, start + 10_000);
    const refused = await limits
      .schedule(KEY, MESSAGES, instant, undefined, start + 2_500)
      .catch((e: unknown) => e);
    // The slots free at 1675 ms; the 5 ahead take them, so its turn comes a round later: 3350 ms.
    expect(refused).toMatchObject({ wait: 3_350, queued: { depth: 5, answerMs: 675 } });
    expect(refusal(refused as QueueTooDeepError)).toContain(
      "every send answered 675 ms after it goes out, as that endpoint's answers took on average",
    );
  });

  it('takes no answer time from a send its caller cut off', async () => {
    limits = new RateLimitManager();
    const answered: Ending[] = [];
    void track(
      limits.schedule(KEY, MESSAGES, answerIn(900), undefined, steadyNow() + 10_000),
      steadyNow(),
      answered,
    );
    await vi.advanceTimersByTimeAsync(2_000);
    // A send cut off by its caller after 10 ms: not an answer of the endpoint.
    const caller = new AbortController();
    const cutOff = () =>
      new Promise<string>((_, reject) =>
        caller.signal.addEventListener('abort', () => reject(caller.signal.reason)),
      );
    ahead(limits, cutOff, steadyNow() + 10_000, caller.signal);
    await vi.advanceTimersByTimeAsync(10);
    caller.abort(new Error('cancelled'));
    await vi.advanceTimersByTimeAsync(2_000);
    // Still 900 ms assumed: behind 5 sends in flight and 5 calls giving up at 1850 ms, sent at 1900 ms.
    const start = steadyNow();
    for (let i = 0; i < 5; i++) ahead(limits, answerIn(900), start + 10_000);
    for (let i = 0; i < 5; i++) ahead(limits, instant, start + 1_850);
    const endings: Ending[] = [];
    void track(limits.schedule(KEY, MESSAGES, instant, undefined, start + 1_950), start, endings);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(endings).toEqual([{ sentAt: 1_900 }]);
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
