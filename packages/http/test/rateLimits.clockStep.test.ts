/**
 * A route paused after a 429 must go again once the pause is over in real time, even when the
 * wall clock stepped back meanwhile (a time sync, a resumed VM): a pause held until the clock had
 * caught up would fail or hold every call on the route for the size of the step.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle, useRestFixture } from './support/restFixture.js';

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('a rate-limit pause across a wall-clock step back', () => {
  const fixture = useRestFixture();

  afterEach(() => vi.useRealTimers());

  it.each([
    ['of the route', false],
    ['of every route (global)', true],
  ])('ends %s when its length is over', async (_name, global) => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    fixture.platform.handler = () =>
      fixture.platform.requests.length === 1
        ? {
            status: 429,
            body: { code: 429, message: 'slow down' },
            headers: { 'retry-after': '2', ...(global ? { 'x-ratelimit-global': 'true' } : {}) },
          }
        : { body: { id: 'ok' } };
    const rest = fixture.client({ timeout: 30_000, retries: 0 });
    await rest.request(guild('g1')).catch(() => undefined);
    expect(fixture.platform.requests).toHaveLength(1);

    vi.setSystemTime(Date.now() - 3_600_000);
    const next = rest.request(guild('g1'));
    await settle();
    await vi.advanceTimersByTimeAsync(2_000);
    await settle();
    await expect(next).resolves.toEqual({ id: 'ok' });
  });
});
