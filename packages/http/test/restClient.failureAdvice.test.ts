import { createServer } from 'node:net';
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
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
});
