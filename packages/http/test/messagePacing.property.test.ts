import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { MESSAGE_WINDOW_MARGIN_MS } from '../src/rest/ratelimit/RouteQueues.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

// The pacing rule of message sends, on a fake clock: whenever callers ask and however long each
// send takes, at most 5 sends start in any window of one second plus the margin. So any sends whose
// transit times differ by at most the margin arrive as the platform allows: at most 5 in any one
// second (docs/protocol.md §8.6), judged by an oracle written from that rule alone.

const MESSAGES = 'POST /channels/{channel_id}/messages';
const KEY = routeKey('POST', '/channels/{channel_id}/messages', { channel_id: 'c1' });
const LIMIT = 5;
const PLATFORM_WINDOW = 1000;

/** A send as the property draws it: when its caller asks, how long it takes, its transit time. */
const sendArb = fc.record({
  askedAt: fc.integer({ min: 0, max: 3000 }),
  duration: fc.integer({ min: 0, max: 1500 }),
  transit: fc.integer({ min: 0, max: MESSAGE_WINDOW_MARGIN_MS }),
});

/** The platform's rule: no arrival has `LIMIT` others in the second before it. */
function platformAccepts(arrivals: readonly number[]): boolean {
  const sorted = [...arrivals].sort((a, b) => a - b);
  return sorted.every((at, i) => i < LIMIT || at - sorted[i - LIMIT]! >= PLATFORM_WINDOW);
}

describe('message pacing', () => {
  let limits: RateLimitManager | undefined;
  useLimiterClock(() => limits);

  it('starts at most 5 sends in any window of one second plus the margin, so arrivals keep the platform rate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sendArb, { minLength: 1, maxLength: 16 }), async (sends) => {
        limits?.destroy();
        limits = new RateLimitManager();
        const manager = limits;
        const t0 = Date.now();
        const started: { at: number; transit: number }[] = [];
        const done = sends.map(
          ({ askedAt, duration, transit }) =>
            new Promise<void>((resolve, reject) => {
              setTimeout(() => {
                manager
                  .schedule(KEY, MESSAGES, async () => {
                    started.push({ at: Date.now() - t0, transit });
                    await new Promise((sent) => setTimeout(sent, duration));
                  })
                  .then(resolve, reject);
              }, askedAt);
            }),
        );
        await vi.advanceTimersByTimeAsync(60_000);
        await Promise.all(done);

        const starts = started.map((send) => send.at);
        expect(starts).toHaveLength(sends.length);
        starts.forEach((at, i) => {
          if (i >= LIMIT)
            expect(at - starts[i - LIMIT]!).toBeGreaterThanOrEqual(
              PLATFORM_WINDOW + MESSAGE_WINDOW_MARGIN_MS,
            );
        });
        expect(platformAccepts(started.map((send) => send.at + send.transit))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('the oracle refuses a sixth arrival inside one second, so the property can fail', () => {
    expect(platformAccepts([0, 0, 0, 0, 0, 999])).toBe(false);
    expect(platformAccepts([0, 0, 0, 0, 0, 1000])).toBe(true);
  });
});
