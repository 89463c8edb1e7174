import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RestClient, TimeoutError, Token, ValidationError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A burst of calls on routes with no cap of their own (one read per guild, a broadcast to many
// groups) must not open a connection each: past the socket cap, calls wait for a free socket.

const TIMERS = ['setTimeout', 'clearTimeout', 'Date', 'performance'] as const;
const send = (channel: string) =>
  ({
    method: 'POST',
    route: '/channels/{channel_id}/messages',
    params: { channel_id: channel },
    body: { content: 'hello', msg_id: 'm1' },
  }) as const;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('RestClient connections to the platform', () => {
  const fixture = useRestFixture();
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Answers each request after `ms` of real time and reports the most answered at once. */
  function answerSlowly(ms: number): () => number {
    let open = 0;
    let peak = 0;
    fixture.platform.handler = async () => {
      open += 1;
      peak = Math.max(peak, open);
      await delay(ms);
      open -= 1;
      return { status: 200, body: { id: 'g' } };
    };
    return () => peak;
  }

  it('keeps at most maxSockets requests on the wire, and every call of a burst still succeeds', async () => {
    const peak = answerSlowly(20);
    const rest = fixture.client({ maxSockets: 4 });
    const calls = Array.from({ length: 24 }, (_, index) => rest.request(guild(`g${index}`)));
    await expect(Promise.all(calls)).resolves.toHaveLength(24);
    // At most the cap: an answer may come back before the last connection opens on a busy host.
    expect(peak()).toBeLessThanOrEqual(4);
    expect(fixture.platform.requests).toHaveLength(24);
  });

  it('caps a burst at 64 connections by default', async () => {
    const peak = answerSlowly(50);
    const rest = fixture.client();
    const calls = Array.from({ length: 100 }, (_, index) => rest.request(guild(`g${index}`)));
    await expect(Promise.all(calls)).resolves.toHaveLength(100);
    expect(peak()).toBeLessThanOrEqual(64);
  });

  it('fails a call that waited its whole timeout for a connection as never sent', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 1, timeout: 15_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    const onWire = rest.request(send('c1')).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    const waiting = rest.request({ ...send('c2'), timeout: 5_000 }).catch((e: unknown) => e);
    await settle();
    await vi.advanceTimersByTimeAsync(5_000);

    const error = await waiting;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    // Its time went to waiting for a connection in this client, not to the platform.
    expect((error as TimeoutError).spent).toMatchObject({
      queueMs: 5_000,
      platformMs: 0,
      queuedFor: 'sockets',
    });
    expect((error as Error).message).toContain('raise `maxSockets`');
    expect((error as Error).message).not.toContain('if the platform is this slow');
    expect(fixture.platform.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await onWire).toMatchObject({ mayHaveBeenSent: true });
  });

  it('refuses a maxSockets that is not a positive integer, naming it', () => {
    for (const maxSockets of [0, -1, 2.5, Number.NaN]) {
      const build = () => new RestClient({ token: new Token('1', 'secret'), maxSockets });
      expect(build).toThrow(ValidationError);
      expect(build).toThrow(/maxSockets/);
    }
  });
});
