import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortedAfterSendError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A bot often hands every request one long-lived signal (its own shutdown). Calls waiting under it
// — for a channel's message window, a rate-limit pause, the access token, a back-off — must hear
// it through one listener for all of them, as attempts on the wire do: one each would grow its
// listeners with the calls waiting (up to `maxQueued` per route) and set off Node's leak warning.

const CALLS = 30; // well past Node's warning at 11
const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const SEND = {
  method: 'POST',
  route: '/channels/{channel_id}/messages',
  params: { channel_id: 'c1' },
  body: { content: 'hi' },
} as const;
const ME = { method: 'GET', route: '/users/@me' } as const;

describe("RestClient's calls waiting under one caller signal", () => {
  const fixture = useRestFixture();
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    vi.useRealTimers();
    process.off('warning', onWarning);
    warnings.length = 0;
  });
  const leakWarnings = () => warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning');

  it('listen to it a bounded number of times while queued for a message window, and end with its reason', async () => {
    process.on('warning', onWarning);
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ timeout: 60_000 });
    await rest.tokens.get();
    const shutdown = new AbortController();
    const calls = Promise.allSettled(
      Array.from({ length: CALLS }, () => rest.request({ ...SEND, signal: shutdown.signal })),
    );
    await until(() => fixture.platform.requests.length === 5);
    await settle();
    expect(rest.queuedRequests).toBe(CALLS - 5);
    expect(getEventListeners(shutdown.signal, 'abort').length).toBeLessThanOrEqual(2);

    const reason = new Error('shutting down');
    shutdown.abort(reason);
    const outcomes = await calls;
    // The 5 on the wire may have been delivered: they say so, with the reason as the cause.
    const ended = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : outcome));
    const cutOnWire = ended.filter((error) => error instanceof AbortedAfterSendError);
    expect(cutOnWire).toHaveLength(5);
    expect(cutOnWire.every((error) => error.cause === reason)).toBe(true);
    expect(ended.filter((error) => error === reason)).toHaveLength(CALLS - 5);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    expect(leakWarnings()).toEqual([]);
  });

  it('listen to it a bounded number of times while waiting out a rate-limit pause or backing off, and let go once done', async () => {
    process.on('warning', onWarning);
    vi.useFakeTimers({ toFake: [...TIMERS] });
    let answered = 0;
    fixture.platform.handler = (request) => {
      answered++;
      if (request.path === '/users/@me')
        return answered === 1
          ? { status: 429, body: { code: 429, message: 'slow' }, headers: { 'retry-after': '5' } }
          : { body: { id: 'me' } };
      return answered <= CALLS + 1
        ? { status: 503, body: { code: 503, message: 'busy' } }
        : { body: { id: 'g' } };
    };
    const rest = fixture.client({ timeout: 60_000, backoff: { base: 5_000, max: 5_000 } });
    await rest.tokens.get();
    const shutdown = new AbortController();
    const signal = shutdown.signal;
    const limited = rest.request({ ...ME, signal });
    await until(() => answered === 1);
    await settle();
    const paused = Array.from({ length: CALLS }, () => rest.request({ ...ME, signal }));
    const backingOff = Array.from({ length: CALLS }, (_, index) =>
      rest.request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: `g${index}` }, signal }),
    );
    const outcomes = Promise.allSettled([limited, ...paused, ...backingOff]);
    await until(() => answered === CALLS + 1);
    await settle();
    expect(getEventListeners(signal, 'abort').length).toBeLessThanOrEqual(2);

    await vi.advanceTimersByTimeAsync(5_000);
    const settled = await outcomes;
    expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2 * CALLS + 1);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(leakWarnings()).toEqual([]);
  });

  it('listen to it once while waiting for the access token', async () => {
    process.on('warning', onWarning);
    fixture.platform.tokenAnswer = { hang: true };
    const rest = fixture.client();
    const shutdown = new AbortController();
    const calls = Promise.allSettled(
      Array.from({ length: CALLS }, () => rest.request({ ...ME, signal: shutdown.signal })),
    );
    await until(() => fixture.platform.tokenRequests.length === 1);
    await settle();
    expect(getEventListeners(shutdown.signal, 'abort').length).toBeLessThanOrEqual(1);

    shutdown.abort(new Error('bye'));
    const outcomes = await calls;
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    expect(leakWarnings()).toEqual([]);
  });
});
