import { describe, expect, it, vi } from 'vitest';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { useLimiterClock } from './support/limiterClock.js';

// The limiter keeps state per route key, and a key names a channel, a group or a C2C user: a bot
// answering many users makes many keys. A key's state lives only while it is used (a task waits,
// runs or holds its slot) or paused, so their number follows the traffic, not its history.

const C2C = 'POST /v2/users/{openid}/messages';
const ME = 'GET /users/@me';
const user = (index: number) => `${C2C}:u${index}`;

describe('RateLimitManager route count', () => {
  let limits: RateLimitManager;
  useLimiterClock(() => limits);

  it('drops each of 1,000 message routes once its send’s window has passed', async () => {
    limits = new RateLimitManager();
    const sends = Array.from({ length: 1_000 }, (_, index) =>
      limits.schedule(user(index), C2C, async () => index),
    );
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(sends);
    expect(limits.size).toBe(1_000); // each send holds its slot for the 1 s window after its answer

    await vi.advanceTimersByTimeAsync(1_100);
    expect(limits.size).toBe(0);
  });

  it('drops a route without a window as soon as its request ends, admitted or scheduled', async () => {
    limits = new RateLimitManager();
    await limits.schedule(ME, ME, async () => 'me');
    expect(limits.size).toBe(0);
    const admitted = limits.admit(ME, ME);
    expect(limits.size).toBe(1);
    limits.release(admitted!);
    expect(limits.size).toBe(0);
  });

  it('keeps a route while a send waits for its slot, and drops it after the last one’s window', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    const started: number[] = [];
    const t0 = Date.now();
    const sends = [0, 1, 2].map(() =>
      limits.schedule(user(1), C2C, async () => started.push(Date.now() - t0)),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(sends);
    expect(started).toEqual([0, 1000, 2000]);
    expect(limits.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(limits.size).toBe(0);
  });

  it('keeps a paused route until its pause ends (its next send waits it out), then drops it', async () => {
    limits = new RateLimitManager();
    // Answered 22009: the route pauses while its send still runs, as the REST client does.
    await limits.schedule(user(1), C2C, async () => limits.pauseRoute(user(1), 5_000, 22009));
    await vi.advanceTimersByTimeAsync(4_900);
    expect(limits.size).toBe(1);

    const started: number[] = [];
    const t0 = Date.now();
    const next = limits.schedule(user(1), C2C, async () => started.push(Date.now() - t0));
    await vi.advanceTimersByTimeAsync(100);
    await next;
    expect(started).toEqual([100]);
    await vi.advanceTimersByTimeAsync(61_000);
    expect(limits.size).toBe(0);
  });

  it('keeps no route and starts no timer for a limit answered after destroy()', () => {
    limits = new RateLimitManager();
    limits.destroy();
    // A 429 answering a request that was on the wire when the client was destroyed.
    limits.pauseRoute(user(1), 5_000, 22009);
    expect(limits.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
