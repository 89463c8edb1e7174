import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { RateLimitManager } from '../src/rest/ratelimit/RateLimitManager.js';
import { routeKey } from '../src/rest/routes.js';
import { useLimiterClock } from './support/limiterClock.js';

// The pacing rule of message sends, on a fake clock: whenever callers ask, however long each send
// takes to be answered and however long it travels before it arrives (any time up to its answer),
// the arrivals keep the platform's rate: at most 5 in any one second (docs/protocol.md §8.6),
// judged by an oracle written from that rule alone.

const MESSAGES = 'POST /channels/{channel_id}/messages';
const KEY = routeKey('POST', '/channels/{channel_id}/messages', { channel_id: 'c1' });
const LIMIT = 5;
const PLATFORM_WINDOW = 1000;

/**
 * A send as the property draws it: when its caller asks, how long until its answer, and when it
 * arrived, as a share of that time (a send has arrived by the time it is answered).
 */
const sendArb = fc.record({
  // Half of them at once: bursts are where a window fills.
  askedAt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 })),
  duration: fc.integer({ min: 0, max: 1500 }),
  arrivedAt: fc.double({ min: 0, max: 1, noNaN: true }),
});

/** The platform's rule: no arrival has `LIMIT` others in the second before it. */
function platformAccepts(arrivals: readonly number[]): boolean {
  const sorted = [...arrivals].sort((a, b) => a - b);
  return sorted.every((at, i) => i < LIMIT || at - sorted[i - LIMIT]! >= PLATFORM_WINDOW);
}

describe('message pacing', () => {
  let limits: RateLimitManager | undefined;
  useLimiterClock(() => limits);

  it('keeps arrivals at 5 in any second, whatever the transit and answer times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sendArb, { minLength: 1, maxLength: 20 }), async (sends) => {
        limits?.destroy();
        limits = new RateLimitManager();
        const manager = limits;
        const t0 = Date.now();
        const arrivals: number[] = [];
        const done = sends.map(
          ({ askedAt, duration, arrivedAt }) =>
            new Promise<void>((resolve, reject) => {
              setTimeout(() => {
                manager
                  .schedule(KEY, MESSAGES, async () => {
                    arrivals.push(Date.now() - t0 + Math.floor(arrivedAt * duration));
                    await new Promise((sent) => setTimeout(sent, duration));
                  })
                  .then(resolve, reject);
              }, askedAt);
            }),
        );
        await vi.advanceTimersByTimeAsync(60_000);
        await Promise.all(done);

        expect(arrivals).toHaveLength(sends.length);
        expect(platformAccepts(arrivals)).toBe(true);
      }),
      {
        numRuns: 100,
        examples: [
          // Five sends at once, one of them answered only after 205 ms and arriving just before
          // its answer (202 ms); a sixth answered at once. Pacing the starts with a 200 ms margin let the
          // sixth arrive 998 ms after the slow one.
          [
            [
              ...Array.from({ length: 4 }, () => ({ askedAt: 0, duration: 0, arrivedAt: 0 })),
              { askedAt: 0, duration: 205, arrivedAt: 0.99 },
              { askedAt: 0, duration: 0, arrivedAt: 0 },
            ],
          ],
        ],
      },
    );
  });

  it('the oracle refuses a sixth arrival inside one second, so the property can fail', () => {
    expect(platformAccepts([0, 0, 0, 0, 0, 999])).toBe(false);
    expect(platformAccepts([0, 0, 0, 0, 0, 1000])).toBe(true);
  });
});
