import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A bot often hands every request one long-lived signal (its own shutdown). Each attempt listens
// to it while on the wire; the listener must go when the attempt settles, however it settles,
// or the signal gathers one per request and Node warns of a leak.

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const READS = 12; // more than Node's default of 10 listeners before it warns

describe('RestClient with one long-lived signal for many requests', () => {
  const fixture = useRestFixture();
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    vi.useRealTimers();
    process.off('warning', onWarning);
    warnings.length = 0;
  });

  it('leaves no abort listener on it once reads settle, answered, failed or timed out', async () => {
    process.on('warning', onWarning);
    vi.useFakeTimers({ toFake: [...TIMERS] });
    fixture.platform.handler = (request) => {
      if (request.path === '/guilds/failing')
        return { status: 404, body: { code: 11241, message: 'no such guild' } };
      if (request.path === '/guilds/slow') return { hang: true };
      return { body: { id: 'g' } };
    };
    const rest = fixture.client({ timeout: 5_000 });
    await rest.tokens.get();
    const shutdown = new AbortController();
    const read = (id: string) =>
      rest.request({
        method: 'GET',
        route: '/guilds/{guild_id}',
        params: { guild_id: id },
        signal: shutdown.signal,
      });
    const reads = [read('failing'), read('slow')];
    for (let index = 0; index < READS - 2; index++) reads.push(read(`g${index}`));
    const outcomes = Promise.allSettled(reads);
    await until(() => fixture.platform.requests.length === READS);
    await vi.advanceTimersByTimeAsync(5_000);
    const [failed, timedOut, ...answered] = await outcomes;

    expect(failed).toMatchObject({ status: 'rejected', reason: expect.any(ApiError) });
    expect(timedOut).toMatchObject({ status: 'rejected', reason: expect.any(TimeoutError) });
    expect(answered.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    await settle();
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
