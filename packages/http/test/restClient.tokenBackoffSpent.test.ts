import { describe, expect, it } from 'vitest';
import { TimeoutError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// The back-offs between tries of a failing token endpoint are time spent getting a token: a call
// that then times out at a hanging platform must not count them as the platform's time.

describe('a call that backed off from a failing token endpoint, then timed out at the platform', () => {
  const fixture = useRestFixture();

  it("counts the back-offs as waiting for a token, and the platform's time from the send only", async () => {
    const { platform } = fixture;
    // The token endpoint answers 503 twice, then issues tokens.
    Object.defineProperty(platform, 'tokenAnswer', {
      get: () =>
        platform.tokenRequests.length <= 2 ? { status: 503, body: { code: 1, message: 'busy' } } : undefined,
    });
    let sentAt = 0;
    platform.handler = () => {
      sentAt = performance.now();
      return { hang: true };
    };
    const rest = fixture.client({ timeout: 4_000, backoff: { base: 300, max: 300 } });

    const start = performance.now();
    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    const end = performance.now();

    expect(error).toBeInstanceOf(TimeoutError);
    const spent = (error as TimeoutError).spent!;
    expect(platform.tokenRequests).toHaveLength(3);
    expect(sentAt).toBeGreaterThan(0);
    // A few ms of slack for the rounding and the hops between the clock readings.
    expect(spent.tokenMs).toBeGreaterThanOrEqual(sentAt - start - 30);
    expect(spent.platformMs).toBeLessThanOrEqual(end - sentAt + 30);
  });
});
