/**
 * A route paused after a 429 must go again once the pause is over in real time, whatever the wall
 * clock did meanwhile (a time sync, an operator setting the date): stepped back, a pause held until
 * the clock had caught up would fail or hold every call on the route for the size of the step;
 * stepped forward, a pause ended at once would send the next call into another 429.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle, useRestFixture } from './support/restFixture.js';

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const HOUR = 3_600_000;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('a rate-limit pause across a wall-clock step', () => {
  const fixture = useRestFixture();

  afterEach(() => vi.useRealTimers());

  /** A client whose first call on `g1` met a 2 s limit (of the route, or `global`), every later one answered. */
  async function pausedFor2s(global: boolean) {
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
    return rest;
  }

  it.each([
    ['of the route', false],
    ['of every route (global)', true],
  ])('ends %s when its length is over, after a step back', async (_name, global) => {
    const rest = await pausedFor2s(global);
    vi.setSystemTime(Date.now() - HOUR);
    const next = rest.request(guild('g1'));
    await settle();
    await vi.advanceTimersByTimeAsync(2_000);
    await settle();
    await expect(next).resolves.toEqual({ id: 'ok' });
  });

  it.each([
    ['of the route', false],
    ['of every route (global)', true],
  ])('holds %s for its whole length, after a step forward', async (_name, global) => {
    const rest = await pausedFor2s(global);
    vi.setSystemTime(Date.now() + HOUR);
    const next = rest.request(guild('g1'));
    await settle();
    await vi.advanceTimersByTimeAsync(1_990);
    await settle();
    expect(fixture.platform.requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10);
    await settle();
    await expect(next).resolves.toEqual({ id: 'ok' });
    expect(fixture.platform.requests).toHaveLength(2);
  });
});
