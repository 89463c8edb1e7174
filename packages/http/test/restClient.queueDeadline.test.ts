import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedError, TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A call whose route queue cannot give it its turn before its deadline (the sends ahead of it,
// paced by the route's window, need longer than its timeout leaves) fails at once, unsent, with a
// RateLimitedError that names the route, the queue and the wait; and a call that does time out
// says where its time went: in this client's queue, or at the platform.

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const ROUTE = '/channels/{channel_id}/messages';
const send = (i: number) =>
  ({
    method: 'POST',
    route: ROUTE,
    params: { channel_id: 'c1' },
    body: { content: `reply ${i}`, msg_id: 'm1' },
  }) as const;

describe('a call behind a deep route queue', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('fails at once, unsent, when its turn cannot come before its deadline', async () => {
    fixture.platform.handler = () => ({ body: { id: 'sent' } });
    const rest = fixture.client({ timeout: 3_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    // 5 take the window's slots and 10 wait for the next two windows; the 10 after them would
    // have their turn only at their deadline, in the third window, so they and the 26th are
    // refused at once. The deadlines all come at the same time here, as in a burst.
    const calls = Array.from({ length: 25 }, (_, i) => rest.request(send(i)).catch((e: unknown) => e));
    const late = rest.request(send(25)).catch((e: unknown) => e);
    const outcome = await Promise.race([late, settle().then(() => 'still waiting')]);

    expect(outcome).toBeInstanceOf(RateLimitedError);
    const error = outcome as RateLimitedError;
    expect(error).toMatchObject({ exceeded: 'timeout', mayHaveBeenSent: false, queueDepth: 10 });
    // The slots taken now free a window after their answers at the earliest: 3 windows.
    expect(error.retryAfter).toBe(3_000);
    expect(error.pausedForMs).toBe(0);
    expect(error.message).toContain(`POST ${ROUTE}`);
    expect(error.message).toContain('10 requests');
    expect(error.message).toContain('5 per 1000 ms');
    expect(error.message).toContain('send fewer');
    expect(error.message).not.toContain('if the platform is this slow');
    const refusedAtOnce = await Promise.race([
      Promise.all(calls.slice(15)),
      settle().then(() => 'still waiting'),
    ]);
    expect(refusedAtOnce).not.toBe('still waiting');
    for (const result of refusedAtOnce as unknown[])
      expect(result).toMatchObject({ kind: 'rateLimited', exceeded: 'timeout', mayHaveBeenSent: false });
    expect(fixture.platform.requests.filter((r) => r.method === 'POST').length).toBeLessThanOrEqual(5);

    // The calls it let wait all get their turn, within 2 windows.
    const posts = () => fixture.platform.requests.filter((r) => r.method === 'POST').length;
    for (let window = 1; window <= 3; window++) {
      await until(() => posts() === 5 * window);
      await settle();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    const settled = await Promise.all(calls.slice(0, 15));
    expect(settled.every((result) => !(result instanceof Error))).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    vi.useRealTimers();
    expect(posts()).toBe(15);
  });

  it('that times out waiting says it waited in the queue for the route pace, not at the platform', async () => {
    fixture.platform.handler = (request) => (request.method === 'POST' ? { hang: true } : { body: {} });
    const rest = fixture.client({ timeout: 2_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    // The window's 5 slots hang at the platform; the 6th waits for a slot until its deadline.
    const ahead = Array.from({ length: 5 }, (_, i) => rest.request(send(i)).catch((e: unknown) => e));
    const queued = rest.request(send(5)).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.filter((r) => r.method === 'POST').length === 5);
    await settle();
    await vi.advanceTimersByTimeAsync(2_000);

    const waited = (await queued) as TimeoutError;
    expect(waited).toBeInstanceOf(TimeoutError);
    expect(waited).toMatchObject({ mayHaveBeenSent: false });
    expect(waited.spent).toMatchObject({ queueMs: 2_000, platformMs: 0, queuedFor: 'pace' });
    expect(waited.message).toContain("2000 ms in this client's queue");
    expect(waited.message).not.toContain('if the platform is this slow');

    const hung = (await ahead[0]) as TimeoutError;
    expect(hung).toBeInstanceOf(TimeoutError);
    expect(hung.spent).toMatchObject({ queueMs: 0, platformMs: 2_000 });
    expect(hung.message).toContain('if the platform is this slow');
  });
});
