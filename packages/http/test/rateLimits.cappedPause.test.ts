/**
 * A 429 asking for longer than `maxRateLimitWait` fails its call with the platform's figure and
 * pauses the route for the cap only. The error states both figures, so what a user reads in it
 * agrees with the `rateLimited` event and with when the route's requests go out again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimitedError, type RateLimitedEvent } from '@bot/http';
import { settle, useRestFixture } from './support/restFixture.js';

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('a rate limit longer than maxRateLimitWait', () => {
  const fixture = useRestFixture();

  afterEach(() => vi.useRealTimers());

  /** The platform limits the first request with `Retry-After: retryAfter` (seconds), then answers. */
  function limitFirst(retryAfter: string, global = false): void {
    fixture.platform.handler = () =>
      fixture.platform.requests.length === 1
        ? {
            status: 429,
            body: { code: 429, message: 'slow down' },
            headers: { 'retry-after': retryAfter, ...(global ? { 'x-ratelimit-global': 'true' } : {}) },
          }
        : { body: { id: 'ok' } };
  }

  it('fails with the platform’s wait and the pause applied, both in the message with why they differ', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    limitFirst('120');
    const rest = fixture.client({ timeout: 300_000 });
    const events: RateLimitedEvent[] = [];
    rest.on('rateLimited', (event) => events.push(event));

    const error = await rest.request(guild('g1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      retryAfter: 120_000,
      pausedForMs: 60_000,
      global: false,
      exceeded: 'maxRateLimitWait',
    });
    expect(events).toEqual([expect.objectContaining({ wait: (error as RateLimitedError).pausedForMs })]);
    const { message } = error as RateLimitedError;
    expect(message).toMatch(/asked to wait 120000 ms/);
    expect(message).toMatch(/requests on this route wait 60000 ms only/);
    expect(message).toMatch(/maxRateLimitWait caps every pause/);
    expect(message).toMatch(/retry after 120000 ms/);

    // What the message says holds: the route's next request goes out once the 60 s are over.
    const next = rest.request(guild('g1'));
    await settle();
    await vi.advanceTimersByTimeAsync(59_999);
    await settle();
    expect(fixture.platform.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(next).resolves.toEqual({ id: 'ok' });
  });

  it('names every route as paused when the limit was global', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    limitFirst('90', true);
    const error = await fixture
      .client({ timeout: 300_000 })
      .request(guild('g1'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryAfter: 90_000, pausedForMs: 60_000, global: true });
    expect((error as Error).message).toMatch(/every request waits 60000 ms only/);
  });

  it('says a global pause that outlasts a later call’s timeout holds every route', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    limitFirst('10', true);
    const rest = fixture.client({ retries: 0 });
    await expect(rest.request(guild('g1'))).rejects.toMatchObject({ global: true, pausedForMs: 10_000 });
    const error = await rest
      .request({ method: 'GET', route: '/users/@me', timeout: 5_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ exceeded: 'timeout', global: true });
    expect((error as RateLimitedError).pausedForMs).toBe((error as RateLimitedError).retryAfter);
    expect(fixture.platform.requests).toHaveLength(1);
  });

  it('keeps the short message, pausedForMs equal to retryAfter, when the wait was not capped', async () => {
    limitFirst('3');
    const error = await fixture
      .client({ maxRateLimitWait: 5_000, retries: 0 })
      .request(guild('g1'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryAfter: 3_000, pausedForMs: 3_000, exceeded: 'retries' });
    expect((error as Error).message).toMatch(/retry after 3000 ms \(still limited after every retry\)/);
    expect((error as Error).message).not.toMatch(/only/);
  });
});
