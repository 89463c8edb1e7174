import { describe, expect, it, vi } from 'vitest';
import { steadyNow } from '@bot/core';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey, routeTarget } from '../src/rest/routes.js';
import { UnsentDeadlineError } from '../src/rest/UnsentDeadlineError.js';
import { useLimiterClock } from './support/limiterClock.js';

// What the estimate of an endpoint's answer times (for refusals of calls behind a too deep queue)
// takes in: not a stray slow answer at full weight, not a send that never left, and not one entry
// per filled path forever.

const MESSAGES = 'POST /channels/{channel_id}/messages';
const KEY = routeKey('POST', '/channels/{channel_id}/messages', { channel_id: 'c1' });
const answerIn = (ms: number) => () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), ms));

describe('the answer times a refusal assumes', () => {
  let limits: RateLimitManager;
  useLimiterClock(() => limits);

  /** One send answered after `ms`, waited out with its window. */
  const answered = async (ms: number, task: () => Promise<string> = answerIn(ms)) => {
    void limits.schedule(KEY, MESSAGES, task, undefined, steadyNow() + 60_000).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(ms + 2_000);
  };

  /**
   * 5 sends in flight and 5 calls waiting, all answered in 900 ms, and a new call giving up at
   * 4000 ms: the queue sends it at 3800 ms, answered at 4700 ms. What the new call came to.
   */
  const burst = async (): Promise<unknown> => {
    const start = steadyNow();
    for (let i = 0; i < 10; i++)
      void limits.schedule(KEY, MESSAGES, answerIn(900), undefined, start + 10_000).catch(() => undefined);
    let ending: unknown;
    void limits.schedule(KEY, MESSAGES, answerIn(900), undefined, start + 4_000).then(
      () => (ending = { answeredAt: steadyNow() - start }),
      (error: { queued?: { answerMs?: number } }) => (ending = { refusedAt: steadyNow() - start, error }),
    );
    await vi.advanceTimersByTimeAsync(8_000);
    return ending;
  };

  it('counts one slow answer as at most 3 times the average', async () => {
    limits = new RateLimitManager();
    for (let i = 0; i < 3; i++) await answered(900);
    expect(await burst()).toEqual({ answeredAt: 4_700 });
    // One answer after 30 s: counted as 2700 ms, not 10 s; the average goes to 1350 ms, not 3175 ms.
    await answered(30_000);
    expect(await burst()).toMatchObject({ refusedAt: 0, error: { queued: { answerMs: 1_350 } } });
    // The 10 answers of 900 ms of that burst bring it back: the next burst is sent.
    expect(await burst()).toMatchObject({ answeredAt: 4_700 });
  });

  it('still lets an average near 0 ms rise to slower answers', async () => {
    limits = new RateLimitManager();
    await answered(0, () => Promise.resolve('ok'));
    // 4 s after 0 ms: counted as 1000 ms, the average goes to 250 ms (not stuck at 0 ms).
    await answered(4_000);
    const start = steadyNow();
    for (let i = 0; i < 10; i++)
      void limits.schedule(KEY, MESSAGES, answerIn(0), undefined, start + 10_000).catch(() => undefined);
    const refused = await limits
      .schedule(KEY, MESSAGES, answerIn(0), undefined, start + 2_500)
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ wait: 2_500, queued: { answerMs: 250 } });
  });

  it('takes no answer time from a send that never left the client', async () => {
    limits = new RateLimitManager();
    await answered(900);
    // Its turn came as its time ran out: it left unsent at once, which is no 0 ms answer.
    await answered(0, () => Promise.reject(new UnsentDeadlineError(1_000)));
    // Still 900 ms assumed (675 ms if it counted): behind 5 sends in flight and 5 calls giving up at
    // 1850 ms, a call giving up at 1950 ms is sent at 1900 ms.
    const start = steadyNow();
    for (let i = 0; i < 5; i++)
      void limits.schedule(KEY, MESSAGES, answerIn(900), undefined, start + 10_000).catch(() => undefined);
    for (let i = 0; i < 5; i++)
      void limits.schedule(KEY, MESSAGES, answerIn(0), undefined, start + 1_850).catch(() => undefined);
    const sent = limits.schedule(
      KEY,
      MESSAGES,
      () => Promise.resolve(steadyNow() - start),
      undefined,
      start + 1_950,
    );
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(sent).resolves.toBe(1_900);
  });

  it('keeps the answer times of at most 512 endpoints', async () => {
    limits = new RateLimitManager();
    // Filled paths: one template per channel.
    for (let i = 0; i < 600; i++) {
      const { key, template } = routeTarget('POST', `/channels/${i}/messages`, undefined, undefined);
      await limits.schedule(key, template, () => Promise.resolve('ok'), undefined, Number.POSITIVE_INFINITY);
    }
    expect(limits.answerTemplates).toBe(512);
  });
});
