import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { steadyNow } from '@bot/core';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

// Every task waiting in a rate limiter must end when it is destroyed. Listening to its closing
// signal once per waiting task would grow that signal's listeners with the queue (up to
// `maxQueued` per route, on every route), and hide a real leak behind a raised listener limit.

const MESSAGES = 'POST /channels/{channel_id}/messages';
const ME = 'GET /users/@me';
const channel = (id: string) => routeKey('POST', '/channels/{channel_id}/messages', { channel_id: id });
const WAITERS = 30; // well past Node's warning at 11

describe('RateLimitManager closing signal', () => {
  let limits: RateLimitManager;
  useLimiterClock(() => limits);

  it('is listened to once however many tasks wait for a window or a pause', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    await limits.schedule(ME, ME, async () => 'first'); // the route exists, so it can be paused
    limits.pauseRoute(ME, 5_000);
    const queued = Array.from({ length: WAITERS }, (_, index) =>
      limits.schedule(channel('c1'), MESSAGES, async () => index, undefined, steadyNow() + 60_000),
    );
    const paused = Array.from({ length: WAITERS }, (_, index) =>
      limits.schedule(ME, ME, async () => index, undefined, steadyNow() + 60_000),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(limits.queued).toBe(WAITERS - 1);
    expect(getEventListeners(limits.closing, 'abort')).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(WAITERS * 1_000);
    await Promise.all([...queued, ...paused]);
    expect(getEventListeners(limits.closing, 'abort')).toHaveLength(1);
  });

  it('still fails every waiting task at once on destroy(), with its reason', async () => {
    limits = new RateLimitManager({ messagesPerSecond: 1 });
    limits.pauseGlobal(30_000);
    const waiting = [
      ...Array.from({ length: WAITERS }, () => limits.schedule(channel('c1'), MESSAGES, async () => 'sent')),
      ...Array.from({ length: WAITERS }, () => limits.schedule(ME, ME, async () => 'read')),
    ];
    const outcomes = Promise.allSettled(waiting);
    await vi.advanceTimersByTimeAsync(0);
    const reason = new Error('closing');
    limits.destroy(reason);
    const settled = await outcomes;
    expect(settled.every((outcome) => outcome.status === 'rejected' && outcome.reason === reason)).toBe(true);
    expect(getEventListeners(limits.closing, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
