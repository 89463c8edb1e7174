import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A call's timeout bounds the whole call. The wall clock can step back while it runs (a time sync,
// a resumed VM): what is left of the call must still be measured against the timeout, not
// stretched by the size of the step.

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;
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
    vi.setSystemTime(Date.now() - 3_600_000);
    for (let step = 0; step < 50 && fixture.platform.requests.length < 2; step++) {
      await vi.advanceTimersByTimeAsync(20);
      await settle();
    }
    expect(fixture.platform.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await call).toBeInstanceOf(TimeoutError);
  });
});
