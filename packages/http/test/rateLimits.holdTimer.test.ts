import { describe, expect, it } from 'vitest';
import { useRestFixture } from './support/restFixture.js';

// A windowed route holds each send's slot for a window after its answer (docs/protocol.md §8.6).
// That hold must not keep a process alive once its work is done: a script that sends one message
// and returns exits then, not a window later.

const PINS = 'POST /channels/{channel_id}/pins';

/** Timers keeping the event loop alive (an unref'd timer is not listed). */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('the hold of a windowed route', () => {
  const fixture = useRestFixture();

  it('leaves no timer keeping the process alive after the answer, however long the window', async () => {
    const rest = fixture.client({ rateLimits: { routes: { [PINS]: { limit: 1, interval: 60_000 } } } });
    await rest.request({ method: 'GET', route: '/users/@me' }); // the token, and the sockets, are ready
    const before = liveTimers();

    await rest.request({
      method: 'POST',
      route: '/channels/{channel_id}/pins',
      params: { channel_id: 'c1' },
    });
    expect(liveTimers()).toBeLessThanOrEqual(before);
    // The slot is held all the same: the next send waits for it, here until its own deadline.
    await expect(
      rest.request({
        method: 'POST',
        route: '/channels/{channel_id}/pins',
        params: { channel_id: 'c1' },
        timeout: 50,
      }),
    ).rejects.toMatchObject({ kind: 'timeout' });
    expect(fixture.platform.requests).toHaveLength(2);
  });
});
