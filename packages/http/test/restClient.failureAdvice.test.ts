import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetworkError, TimeoutError } from '@bot/http';
import { until, useRestFixture } from './support/restFixture.js';

// A timeout or a network failure says what the caller can do about it: whether the request may
// have reached the platform (a message may have been posted: check before sending it again), or
// certainly did not (check the address, DNS and the network), and for a timeout, which option
// to raise.

const CHANNEL_SEND = {
  method: 'POST',
  route: '/channels/{channel_id}/messages',
  params: { channel_id: 'c' },
  body: { content: 'hello' },
} as const;

/** A 127.0.0.1 base URL nothing listens on: a port the system handed out, then closed again. */
async function closedBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('failure advice', () => {
  const fixture = useRestFixture();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a POST that times out on the wire may have been delivered: check before sending again, or raise timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ timeout: 200 });

    const call = rest.request(CHANNEL_SEND).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    await vi.advanceTimersByTimeAsync(200);
    const error = await call;

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', timeout: 200, mayHaveBeenSent: true });
    expect((error as Error).message).toBe(
      'POST /channels/{channel_id}/messages timed out after 200 ms: it may have been delivered, ' +
        'check before sending again; raise `timeout` (client or call) if the platform is this slow',
    );
  });

  it('a GET that times out only says which option to raise: repeating it is harmless', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ timeout: 200 });

    const call = rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    await vi.advanceTimersByTimeAsync(200);

    expect(await call).toMatchObject({
      mayHaveBeenSent: true,
      message:
        'GET /users/@me timed out after 200 ms: raise `timeout` (client or call) if the platform is this slow',
    });
  });

  it('a POST that times out waiting for its turn was never sent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ timeout: 200, rateLimits: { concurrency: 1 } });

    const first = rest.request(CHANNEL_SEND).catch((e: unknown) => e);
    const queued = rest.request(CHANNEL_SEND).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    await vi.advanceTimersByTimeAsync(200);

    expect(await first).toMatchObject({ kind: 'timeout', mayHaveBeenSent: true });
    expect(await queued).toMatchObject({
      kind: 'timeout',
      mayHaveBeenSent: false,
      message:
        'POST /channels/{channel_id}/messages timed out after 200 ms: nothing was sent; it spent ' +
        "200 ms in this client's queue for a slot under rateLimits.concurrency; this client held it " +
        'to keep the route within `rateLimits.concurrency`: raise that cap, send fewer requests to ' +
        'that route at once, raise `timeout` (client or call), or handle this error',
    });
    expect(fixture.platform.requests).toHaveLength(1);
  });

  it('a POST that times out waiting for its access token was never sent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    fixture.platform.tokenAnswer = { hang: true };
    const rest = fixture.client({ timeout: 200 });

    const call = rest.request(CHANNEL_SEND).catch((e: unknown) => e);
    await until(() => fixture.platform.tokenRequests.length === 1);
    await vi.advanceTimersByTimeAsync(200);

    expect(await call).toMatchObject({
      kind: 'timeout',
      route: '/channels/{channel_id}/messages',
      mayHaveBeenSent: false,
    });
    expect(fixture.platform.requests).toHaveLength(0);
  });

  it('a POST to a closed port was never sent: check baseUrl, DNS and the network', async () => {
    const baseUrl = await closedBaseUrl();
    const rest = fixture.client({ baseUrl, retries: 0 });

    const error = await rest.request(CHANNEL_SEND).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ kind: 'network', reason: 'ECONNREFUSED', mayHaveBeenSent: false });
    expect((error as Error).message).toBe(
      `POST ${baseUrl}/channels/{channel_id}/messages failed on the network: ECONNREFUSED; ` +
        'nothing was sent: check the address (baseUrl or tokenUrl), DNS and the network',
    );
  });

  it('a POST whose connection was lost after sending may have been delivered: check before sending again', async () => {
    fixture.platform.handler = () => ({ reset: true });
    const rest = fixture.client({ retries: 0 });

    const error = await rest.request(CHANNEL_SEND).catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'network', reason: 'ECONNRESET', mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(
      /failed on the network: ECONNRESET; it may have been delivered, check before sending again$/,
    );
    expect(fixture.platform.requests).toHaveLength(1);
  });

  it('a re-sent POST refused a connection may still have been delivered by its first attempt', async () => {
    // The first attempt is read and its connection dropped; then nothing listens any more.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => {
        server.close();
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const rest = fixture.client({ baseUrl: `http://127.0.0.1:${port}`, retries: 1 });

    const error = await rest
      .request({
        method: 'POST',
        route: '/v2/groups/{group_openid}/messages',
        params: { group_openid: 'g' },
        body: { content: 'hello', msg_id: 'm1', msg_seq: 1 },
        unauthenticated: true,
      })
      .catch((e: unknown) => e);

    expect(sockets.size).toBe(1);
    expect(error).toMatchObject({ kind: 'network', reason: 'ECONNREFUSED', mayHaveBeenSent: true });
    expect((error as Error).message).toMatch(
      /ECONNREFUSED; it may have been delivered, check before sending again$/,
    );
  });
});
