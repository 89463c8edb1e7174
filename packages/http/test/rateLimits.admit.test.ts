import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { steadyNow } from '@bot/core';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

// `admit`, the fast path of `schedule`: it may let a task start itself only when `schedule` would
// start it at once, and never past a window, a cap or a pause (a message route with a free window
// starts at once through `schedule`, yet is not admitted).

const ME = 'GET /users/@me';
const GUILD = 'GET /guilds/{guild_id}';
const MESSAGES = 'POST /channels/{channel_id}/messages';
const guildKey = (id: string) => routeKey('GET', '/guilds/{guild_id}', { guild_id: id });

describe('RateLimitManager.admit', () => {
  let limits: RateLimitManager;
  useLimiterClock(() => limits);

  it('admits a read with nothing to wait for, and keeps its route while it runs', async () => {
    limits = new RateLimitManager();
    const admitted = limits.admit(ME, ME);
    expect(admitted).toBeDefined();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(limits.size).toBe(1);
    limits.release(admitted!);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(limits.size).toBe(0);
  });

  it('sends a task through schedule on a route with a window or a cap', () => {
    limits = new RateLimitManager();
    expect(limits.admit(`${MESSAGES}:c1`, MESSAGES)).toBeUndefined();
    limits.destroy();
    limits = new RateLimitManager({ routes: { [ME]: { limit: 10, interval: 1000 } } });
    expect(limits.admit(ME, ME)).toBeUndefined();
    limits.destroy();
    limits = new RateLimitManager({ concurrency: 4 });
    expect(limits.admit(ME, ME)).toBeUndefined();
  });

  it('admits nothing while the route or every route is paused, and again once the pause ends', async () => {
    limits = new RateLimitManager();
    limits.release(limits.admit(guildKey('g1'), GUILD)!);
    limits.pauseRoute(guildKey('g1'), 2000);
    expect(limits.admit(guildKey('g1'), GUILD)).toBeUndefined();
    expect(limits.admit(guildKey('g2'), GUILD)).toBeDefined();
    await vi.advanceTimersByTimeAsync(2000);
    expect(limits.admit(guildKey('g1'), GUILD)).toBeDefined();

    limits.pauseGlobal(500);
    expect(limits.admit(guildKey('g3'), GUILD)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(500);
    expect(limits.admit(guildKey('g3'), GUILD)).toBeDefined();
  });

  it('admits nothing once destroyed', () => {
    limits = new RateLimitManager();
    limits.destroy();
    expect(limits.admit(ME, ME)).toBeUndefined();
  });

  it('admits a task only when schedule would start it at once, never past a pause, whatever pauses and wall-clock steps came before', async () => {
    type Step =
      | { op: 'pauseRoute'; route: number; ms: number }
      | { op: 'pauseGlobal'; ms: number }
      | { op: 'advance'; ms: number }
      | { op: 'stepWallClock'; ms: number }
      | { op: 'try'; route: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        op: fc.constant('pauseRoute' as const),
        route: fc.integer({ min: 0, max: 2 }),
        ms: fc.integer({ min: 1, max: 3000 }),
      }),
      fc.record({ op: fc.constant('pauseGlobal' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2000 }) }),
      // A time sync or an operator setting the date: pauses go on counting real time, not the wall clock.
      fc.record({ op: fc.constant('stepWallClock' as const), ms: fc.constantFrom(-3_600_000, 3_600_000) }),
      fc.record({ op: fc.constant('try' as const), route: fc.integer({ min: 0, max: 3 }) }),
    );
    // Routes 0–2 are reads without a window; route 3 is a channel's message window.
    const target = (route: number): [string, string] =>
      route === 3 ? [`${MESSAGES}:c1`, MESSAGES] : [guildKey(`g${route}`), GUILD];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        limits = new RateLimitManager();
        // The oracle: when each route's pause ends, and the global one, on the steady clock.
        const pausedUntil = new Map<string, number>();
        let globalUntil = 0;
        // Every route has been used once: a pause holds only a route the limiter keeps.
        for (const [key, template] of [0, 1, 2, 3].map(target)) {
          const first = limits.admit(key, template);
          if (first !== undefined) limits.release(first);
        }
        for (const current of steps) {
          if (current.op === 'pauseRoute') {
            const [key] = target(current.route);
            limits.pauseRoute(key, current.ms);
            pausedUntil.set(key, Math.max(pausedUntil.get(key) ?? 0, steadyNow() + current.ms));
          } else if (current.op === 'pauseGlobal') {
            limits.pauseGlobal(current.ms);
            globalUntil = Math.max(globalUntil, steadyNow() + current.ms);
          } else if (current.op === 'advance') {
            await vi.advanceTimersByTimeAsync(current.ms);
          } else if (current.op === 'stepWallClock') {
            vi.setSystemTime(Date.now() + current.ms);
          } else {
            const [key, template] = target(current.route);
            const admitted = limits.admit(key, template);
            const free = Math.max(globalUntil, pausedUntil.get(key) ?? 0) <= steadyNow();
            expect(admitted !== undefined).toBe(current.route !== 3 && free);
            if (admitted !== undefined) limits.release(admitted);
            // What schedule does with the same task at the same moment.
            let started = false;
            const leave = new AbortController();
            const scheduled = limits
              .schedule(key, template, async () => void (started = true), leave.signal)
              .catch(() => undefined);
            await vi.advanceTimersByTimeAsync(0);
            if (admitted !== undefined) expect(started).toBe(true);
            if (current.route !== 3) expect(started).toBe(free);
            leave.abort();
            await scheduled;
          }
        }
        limits.destroy();
      }),
      { numRuns: 100 },
    );
  });
});
