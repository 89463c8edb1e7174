import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A call's timeout bounds the whole call, counted in real time. The wall clock can step while it
// runs (a time sync, an operator setting the date): stepped back, what is left of the call must not
// be stretched by the size of the step; stepped forward, the call must not find its deadline passed
// at once.

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const HOUR = 3_600_000;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('a call whose wall clock steps back an hour', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('still ends within its timeout when its retry meets a host that never answers', async () => {
    fixture.platform.handler = () =>
      fixture.platform.requests.length === 1 ? { reset: true } : { hang: true };
    const rest = fixture.client({ timeout: 10_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    const call = rest.request(guild('g1')).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    vi.setSystemTime(Date.now() - HOUR);
    for (let step = 0; step < 50 && fixture.platform.requests.length < 2; step++) {
      await vi.advanceTimersByTimeAsync(20);
      await settle();
    }
    expect(fixture.platform.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await call).toBeInstanceOf(TimeoutError);
  });
});

describe('a call whose wall clock steps forward an hour', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('still retries a server error: its deadline has not passed', async () => {
    fixture.platform.handler = () => {
      if (fixture.platform.requests.length > 1) return { body: { id: 'ok' } };
      vi.setSystemTime(Date.now() + HOUR);
      return { status: 503, body: { code: 503, message: 'busy' } };
    };
    const rest = fixture.client({ timeout: 10_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    const call = rest.request(guild('g1')).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    for (let step = 0; step < 50 && fixture.platform.requests.length < 2; step++) {
      await vi.advanceTimersByTimeAsync(20);
      await settle();
    }
    expect(await call).toEqual({ id: 'ok' });
    expect(fixture.platform.requests).toHaveLength(2);
  });

  it('still waits out a rate limit well within its timeout, then retries', async () => {
    fixture.platform.handler = () => {
      if (fixture.platform.requests.length > 1) return { body: { id: 'ok' } };
      vi.setSystemTime(Date.now() + HOUR);
      return { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '1' } };
    };
    const rest = fixture.client({ timeout: 10_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    const call = rest.request(guild('g1')).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    await settle();
    await vi.advanceTimersByTimeAsync(990);
    await settle();
    expect(fixture.platform.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    await settle();
    expect(await call).toEqual({ id: 'ok' });
    expect(fixture.platform.requests).toHaveLength(2);
  });
});
