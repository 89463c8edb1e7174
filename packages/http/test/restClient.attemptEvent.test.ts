import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as realDelay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  NetworkError,
  ResponseTooLargeError,
  type RestAttemptEvent,
  TimeoutError,
} from '@bot/http';
import { until, useRestFixture } from './support/restFixture.js';

// The `attempt` event is what metrics hang on: one per attempt that went to the wire, with its
// route template (not the filled path), status or failure, retry decision, times and trace id.

const GUILD = { method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: 'g1' } } as const;

/** A port nothing listens on: a server's, once closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the attempt event', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.restoreAllMocks());

  it('reports a 200 once, with the route template, status, times and trace id, never the body or token', async () => {
    fixture.platform.handler = () => ({ body: { id: 'g1', secret: 'body-text' } });
    const rest = fixture.client();
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));

    await expect(rest.request(GUILD)).resolves.toEqual({ id: 'g1', secret: 'body-text' });

    expect(heard).toHaveLength(1);
    const [event] = heard;
    expect(event).toMatchObject({
      method: 'GET',
      route: '/guilds/{guild_id}',
      status: 200,
      failure: undefined,
      attempt: 1,
      willRetry: false,
      queueMs: 0,
      traceId: 'trace-abc',
    });
    expect(event!.platformMs).toBeGreaterThan(0);
    // The first attempt waited for the client's first access token.
    expect(event!.tokenMs).toBeGreaterThan(0);
    const text = JSON.stringify(event);
    expect(text).not.toContain('body-text');
    expect(text).not.toContain('token-1');
    expect(text).not.toContain('g1');
  });

  it('reports a 429 then a 200 as two attempts, the first flagged as retried', async () => {
    fixture.platform.handler = () =>
      fixture.platform.requests.length === 1
        ? { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '0' } }
        : { body: { id: 'sent' } };
    const rest = fixture.client();
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));

    await expect(rest.request(GUILD)).resolves.toEqual({ id: 'sent' });

    expect(heard.map(({ status, attempt, willRetry }) => ({ status, attempt, willRetry }))).toEqual([
      { status: 429, attempt: 1, willRetry: true },
      { status: 200, attempt: 2, willRetry: false },
    ]);
    // The token was at hand for the retry.
    expect(heard[1]!.tokenMs).toBe(0);
  });

  it('reports a connection failure as a network failure, retried while retries are left', async () => {
    const rest = fixture.client({ baseUrl: `http://127.0.0.1:${await closedPort()}`, retries: 1 });
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));

    await expect(rest.request(GUILD)).rejects.toBeInstanceOf(NetworkError);

    expect(
      heard.map(({ status, failure, attempt, willRetry }) => ({ status, failure, attempt, willRetry })),
    ).toEqual([
      { status: undefined, failure: 'network', attempt: 1, willRetry: true },
      { status: undefined, failure: 'network', attempt: 2, willRetry: false },
    ]);
    expect(heard.every(({ traceId }) => traceId === undefined)).toBe(true);
  });

  it('reports an attempt the timeout ends on the wire, with the time it spent there', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client();
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));

    await expect(rest.request({ ...GUILD, timeout: 300 })).rejects.toBeInstanceOf(TimeoutError);

    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ status: undefined, failure: 'timeout', attempt: 1, willRetry: false });
    expect(heard[0]!.platformMs).toBeGreaterThan(100);
    expect(heard[0]!.tokenMs + heard[0]!.platformMs).toBeLessThan(400);
  });

  it('reports nothing for an attempt that timed out waiting for a free connection, as spent counts it queued', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 1 });
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));

    const holding = rest.request({ ...GUILD, timeout: 600 }).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    const error = await rest.request({ ...GUILD, timeout: 200 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    const { spent } = error as TimeoutError;
    expect(spent).toMatchObject({ queuedFor: 'sockets' });
    // Its time went to waiting in this client, a millisecond of rounding aside.
    expect(spent!.platformMs).toBeLessThanOrEqual(1);
    // It never had a connection: no attempt of it went out.
    expect(heard).toEqual([]);
    expect(fixture.platform.requests).toHaveLength(1);
    // The call holding the connection timed out on the wire, and is heard.
    expect(await holding).toBeInstanceOf(TimeoutError);
    expect(heard.map(({ failure }) => failure)).toEqual(['timeout']);
  });

  it('reports an answer too large to read with its status and trace id', async () => {
    fixture.platform.handler = () => ({ body: { text: 'x'.repeat(5000) } });
    const rest = fixture.client({ maxResponseBytes: 1024 });
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));

    await expect(rest.request(GUILD)).rejects.toBeInstanceOf(ResponseTooLargeError);

    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      status: 200,
      failure: 'tooLarge',
      traceId: 'trace-abc',
      willRetry: false,
    });
  });

  it('reports an attempt cut off by the caller signal as aborted', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client();
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));
    const controller = new AbortController();

    const call = rest.request({ ...GUILD, signal: controller.signal });
    await until(() => fixture.platform.requests.length === 1);
    controller.abort(new Error('user left'));

    await expect(call).rejects.toThrow('user left');
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ status: undefined, failure: 'aborted', willRetry: false });
  });

  it('reports nothing for an attempt cut off while it waited for a free connection', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 1 });
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));
    const controller = new AbortController();

    const holding = rest.request({ ...GUILD, timeout: 400 }).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    const waiting = rest.request({ ...GUILD, signal: controller.signal });
    await realDelay(50);
    controller.abort(new Error('user left'));

    await expect(waiting).rejects.toThrow('user left');
    expect(heard).toEqual([]);
    expect(await holding).toBeInstanceOf(TimeoutError);
    expect(heard.map(({ failure }) => failure)).toEqual(['timeout']);
  });

  it('asks for listeners once per attempt and builds no event for an attempt that started without one', async () => {
    let answer: (() => void) | undefined;
    fixture.platform.handler = () =>
      new Promise((resolve) => {
        answer = () => resolve({ body: { id: 'sent' } });
      });
    const rest = fixture.client();
    const counted = vi.spyOn(rest, 'listenerCount');
    const listed = vi.spyOn(rest, 'rawListeners');

    const call = rest.request(GUILD);
    await until(() => answer !== undefined);
    // A listener that comes while the attempt is on the wire: the attempt built no event for it.
    const heard: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => heard.push(event));
    answer!();
    await expect(call).resolves.toEqual({ id: 'sent' });

    expect(heard).toEqual([]);
    expect(counted.mock.calls).toEqual([['attempt']]);
    expect(listed).not.toHaveBeenCalled();

    // The next attempt starts with the listener, and is heard.
    fixture.platform.handler = () => ({ body: { id: 'again' } });
    await rest.request(GUILD);
    expect(heard.map(({ status }) => status)).toEqual([200]);
    expect(counted).toHaveBeenCalledTimes(2);
  });

  it('isolates a throwing listener: the call succeeds, the next listener hears, the throw is logged', async () => {
    const logger = createLogger('test', 7);
    const errors: string[] = [];
    vi.spyOn(Object.getPrototypeOf(logger) as typeof logger, 'error').mockImplementation(
      (...args: unknown[]) => {
        errors.push(args.map(String).join(' '));
        return undefined;
      },
    );
    const rest = fixture.client({ logger });
    rest.on('attempt', () => {
      throw new Error('metrics exporter is down');
    });
    const after: RestAttemptEvent[] = [];
    rest.on('attempt', (event) => after.push(event));

    await expect(rest.request(GUILD)).resolves.toEqual({});
    expect(after).toHaveLength(1);
    expect(errors.some((line) => line.includes('attempt') && line.includes('metrics exporter is down'))).toBe(
      true,
    );
  });
});
