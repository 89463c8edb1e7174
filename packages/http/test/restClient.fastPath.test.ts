import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientDestroyedError, TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A read on a route with nothing to wait for (no window, no cap, no pause) goes straight to the
// wire, outside the route queues: the client's end, the caller's signal and the call's timeout
// must end it there all the same, and leave nothing behind.

const TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

/** Settles `promise` into its outcome without leaving it unhandled meanwhile. */
function outcomeOf(promise: Promise<unknown>): { value: unknown; error: unknown; settled: boolean } {
  const state = { value: undefined as unknown, error: undefined as unknown, settled: false };
  promise.then(
    (value: unknown) => {
      state.value = value;
      state.settled = true;
    },
    (error: unknown) => {
      state.error = error;
      state.settled = true;
    },
  );
  return state;
}

describe('RestClient reads that skip the route queue', () => {
  const fixture = useRestFixture();
  const client = fixture.client.bind(fixture);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('destroy() ends reads on the wire, and one not on a socket yet, at once with ClientDestroyedError, leaving no timer', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    fixture.platform.handler = () => ({ hang: true });
    const rest = client({ timeout: 60_000 });
    await rest.tokens.get();
    const onWire = [outcomeOf(rest.request(guild('a'))), outcomeOf(rest.request(guild('a')))];
    await until(() => fixture.platform.requests.length === 2);
    expect(rest.queuedRequests).toBe(0);
    await settle();
    expect(onWire.map((state) => state.settled)).toEqual([false, false]);

    // Sent but not on a socket yet: destroying the agents cannot reach it, only the client's
    // cancelling of its attempts can (without it, this read would still reach the platform).
    onWire.push(outcomeOf(rest.request(guild('b'))));
    rest.destroy();
    await until(() => onWire.every((state) => state.settled));
    await settle();
    expect(fixture.platform.requests).toHaveLength(2);
    for (const state of onWire) {
      expect(state.error).toBeInstanceOf(ClientDestroyedError);
      expect(state.error).toMatchObject({ kind: 'clientDestroyed' });
    }
    await settle();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the caller’s signal ends a read on the wire with its reason; the route takes the next read', async () => {
    let hang = true;
    fixture.platform.handler = () => (hang ? { hang: true } : { body: { id: 'g' } });
    const rest = client();
    const controller = new AbortController();
    const aborted = outcomeOf(rest.request({ ...guild('a'), signal: controller.signal }));
    await until(() => fixture.platform.requests.length === 1);
    controller.abort(new Error('no longer needed'));
    await until(() => aborted.settled);
    expect(aborted.error).toEqual(new Error('no longer needed'));

    hang = false;
    await expect(rest.request(guild('a'))).resolves.toEqual({ id: 'g' });
  });

  it('the call’s timeout ends a read on the wire with TimeoutError, without another attempt, clearing its timer', async () => {
    vi.useFakeTimers({ toFake: [...TIMERS] });
    fixture.platform.handler = () => ({ hang: true });
    const rest = client({ timeout: 5_000 });
    await rest.tokens.get();
    const read = outcomeOf(rest.request(guild('a')));
    await until(() => fixture.platform.requests.length === 1);
    // The read's deadline and the sweeper of idle route queues.
    const timersWhileSending = vi.getTimerCount();
    await vi.advanceTimersByTimeAsync(4_999);
    await settle();
    expect(read.settled).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    await until(() => read.settled);
    expect(read.error).toBeInstanceOf(TimeoutError);
    expect(read.error).toMatchObject({ timeout: 5_000, route: '/guilds/{guild_id}' });
    await settle();
    expect(fixture.platform.requests).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(timersWhileSending - 1);
  });

  it('a read sent after destroy() fails at once and never reaches the platform', async () => {
    fixture.platform.handler = () => ({ body: { id: 'g' } });
    const rest = client();
    await expect(rest.request(guild('a'))).resolves.toEqual({ id: 'g' });
    rest.destroy();
    const late = await rest.request(guild('a')).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(ClientDestroyedError);
    expect((late as Error).message).toMatch(
      /^GET \/guilds\/\{guild_id\} was not completed: its REST client was destroyed \(RestClient\.destroy\(\)/,
    );
    expect(fixture.platform.requests).toHaveLength(1);
  });
});
