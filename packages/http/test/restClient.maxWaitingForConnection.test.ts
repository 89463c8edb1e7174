import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  ConnectionQueueFullError,
  isBotError,
  RestClient,
  TimeoutError,
  Token,
  ValidationError,
} from '@bot/http';
import { groupSend, until, useRestFixture } from './support/restFixture.js';

// Calls past `maxSockets` wait for a free connection inside Node's connection pool. Past
// `maxSockets` + `maxWaitingForConnection` held there, a call is refused at once, unsent, so a
// platform that stops answering cannot make a burst of calls hold memory without end.

const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The heap in use after a full collection. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('RestClient maxWaitingForConnection', () => {
  const fixture = useRestFixture();

  it('refuses calls past maxSockets + maxWaitingForConnection at once, unsent, and holds only those', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 2, maxWaitingForConnection: 50, timeout: 60_000 });
    await rest.tokens.get();
    const before = heapAfterGc();
    let first: unknown;
    let refused = 0;
    const calls = Array.from({ length: 5_000 }, (_, index) =>
      rest.request(guild(`g${index}`)).catch((error: unknown) => {
        if (!(error instanceof ConnectionQueueFullError)) return error;
        first ??= error;
        refused++;
        return undefined;
      }),
    );
    await Promise.all(calls.slice(52));
    expect(refused).toBe(4_948);
    await until(() => fixture.platform.requests.length === 2 && rest.waitingForConnection === 50);
    // Some 30 KB for each call held; the 4,948 refused hold nothing (some 150 MB if they waited).
    expect(heapAfterGc() - before).toBeLessThan(10 * 1024 * 1024);

    expect(isBotError(first) && first.kind).toBe('connectionQueueFull');
    expect(first).toMatchObject({
      method: 'GET',
      route: '/guilds/{guild_id}',
      waiting: 50,
      ended: 0,
      maxSockets: 2,
      limit: 50,
      mayHaveBeenSent: false,
    });
    expect((first as Error).message).toBe(
      'GET /guilds/{guild_id} was not sent: 50 calls of this client already wait for a free ' +
        'connection behind the 2 it may open (maxSockets), as many as maxWaitingForConnection (50) ' +
        'allows, because the platform answers slower than calls are made: make fewer calls at once ' +
        '(await them in batches, or limit how many run at once), or raise maxWaitingForConnection ' +
        'if bursts this large are expected (each waiting call holds some 30 KB)',
    );
    expect(fixture.platform.requests).toHaveLength(2);
    rest.destroy();
    await Promise.all(calls);
  });

  it('lets a burst within the bound through, again and again', async () => {
    fixture.platform.handler = async () => {
      await delay(10);
      return { status: 200, body: { id: 'g' } };
    };
    const rest = fixture.client({ maxSockets: 2, maxWaitingForConnection: 10 });
    for (let burst = 0; burst < 5; burst++) {
      const calls = Array.from({ length: 12 }, (_, index) => rest.request(guild(`g${index}`)));
      await expect(Promise.all(calls)).resolves.toHaveLength(12);
    }
    expect(fixture.platform.requests).toHaveLength(60);
    expect(rest.waitingForConnection).toBe(0);
  });

  it('counts a retried call once: its retry goes out with the bound at one call', async () => {
    let answered = 0;
    fixture.platform.handler = () =>
      answered++ === 0
        ? { status: 503, body: { code: 1, message: 'busy' } }
        : { status: 200, body: { id: 'g' } };
    const rest = fixture.client({ maxSockets: 1, maxWaitingForConnection: 0 });
    const attempts: unknown[] = [];
    rest.on('attempt', (event) => attempts.push(event));
    await expect(rest.request(guild('g0'))).resolves.toEqual({ id: 'g' });
    expect(fixture.platform.requests).toHaveLength(2);
    // And a second call while one is on the wire is the one refused.
    fixture.platform.handler = () => ({ hang: true });
    const onWire = rest.request(guild('g1')).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 3);
    await expect(rest.request(guild('g2'))).rejects.toBeInstanceOf(ConnectionQueueFullError);
    // The refused call never left the client: no attempt event.
    expect(attempts).toHaveLength(2);
    rest.destroy();
    await onWire;
  });

  it('says when an earlier attempt of a refused retry may have landed', async () => {
    let sends = 0;
    const hold = gate();
    fixture.platform.handler = async (request) => {
      if (request.path.startsWith('/v2/groups') && sends++ === 0)
        return { status: 502, body: { code: 1, message: 'bad gateway' } };
      if (request.path.startsWith('/guilds')) await hold.promise;
      return { status: 200, body: { id: 'm' } };
    };
    // The send's retry waits out its back-off while a read takes the only place.
    const rest = fixture.client({
      maxSockets: 1,
      maxWaitingForConnection: 0,
      backoff: { base: 100, max: 100 },
    });
    await rest.tokens.get();
    const send = rest.request(groupSend()).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    await delay(20);
    const read = rest.request(guild('g0'));
    const error = await send;
    hold.resolve();
    await read;
    expect(error).toBeInstanceOf(ConnectionQueueFullError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(/an earlier attempt failed after it was sent/);
  });

  it('counts calls that timed out waiting until the pool lets them go, then admits again', async () => {
    const hold = gate();
    fixture.platform.handler = async () => {
      await hold.promise;
      return { status: 200, body: { id: 'g' } };
    };
    const rest = fixture.client({ maxSockets: 1, maxWaitingForConnection: 2 });
    await rest.tokens.get();
    const onWire = rest.request({ ...guild('g0'), timeout: 60_000 });
    await until(() => fixture.platform.requests.length === 1);
    const waiting = [1, 2].map((index) =>
      rest.request({ ...guild(`g${index}`), timeout: 100 }).catch((e: unknown) => e),
    );
    for (const error of await Promise.all(waiting)) expect(error).toBeInstanceOf(TimeoutError);
    expect(rest.waitingForConnection).toBe(0);

    // Node's pool still holds both (and their memory) until the connection comes free.
    const refused = await rest.request(guild('g3')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionQueueFullError);
    expect(refused).toMatchObject({ waiting: 2, ended: 2 });
    expect((refused as Error).message).toContain(
      'allows (2 of them already ended, timed out or cancelled, but Node keeps them until a connection comes free), because',
    );

    hold.resolve();
    await onWire;
    await expect(rest.request(guild('g4'))).resolves.toEqual({ id: 'g' });
  });

  it('keeps no place in a route window for a send it refused', async () => {
    const hold = gate();
    fixture.platform.handler = async (request) => {
      if (request.path.startsWith('/guilds')) await hold.promise;
      return { status: 200, body: { id: 'm' } };
    };
    // One send per second on the group's route; one connection, no call may wait for it.
    const rest = fixture.client({
      maxSockets: 1,
      maxWaitingForConnection: 0,
      rateLimits: { messagesPerSecond: 1 },
    });
    await rest.tokens.get();
    const read = rest.request(guild('g0'));
    await until(() => fixture.platform.requests.length === 1);
    await expect(rest.request(groupSend())).rejects.toBeInstanceOf(ConnectionQueueFullError);
    hold.resolve();
    await read;
    // Nothing went out: the next send has the window to itself, not a second after the refusal.
    const startedAt = performance.now();
    await expect(rest.request(groupSend())).resolves.toEqual({ id: 'm' });
    expect(performance.now() - startedAt).toBeLessThan(500);
  });

  it('never refuses the token fetch: calls waiting for a token are refused only once it came', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 1, maxWaitingForConnection: 1, timeout: 60_000 });
    // Every call of the burst waits for the one token fetch, which goes out beside the bound.
    const calls = Array.from({ length: 6 }, (_, index) =>
      rest.request(guild(`g${index}`)).catch((e: unknown) => e),
    );
    const refused = await Promise.all(calls.slice(2));
    for (const error of refused) expect(error).toBeInstanceOf(ConnectionQueueFullError);
    expect(fixture.platform.tokenRequests).toHaveLength(1);
    await until(() => fixture.platform.requests.length === 1 && rest.waitingForConnection === 1);

    // With the bound full, a fresh token is still fetched, and the call that asked for it refused.
    rest.tokens.invalidate(rest.tokens.current() ?? '');
    await expect(rest.request(guild('g9'))).rejects.toBeInstanceOf(ConnectionQueueFullError);
    expect(fixture.platform.tokenRequests).toHaveLength(2);
    rest.destroy();
    await Promise.all(calls);
  });

  it('refuses a maxWaitingForConnection that is not a non-negative integer, naming it', () => {
    for (const maxWaitingForConnection of [-1, 2.5, Number.NaN]) {
      const build = () => new RestClient({ token: new Token('1', 'secret'), maxWaitingForConnection });
      expect(build).toThrow(ValidationError);
      expect(build).toThrow(/maxWaitingForConnection/);
    }
  });
});
