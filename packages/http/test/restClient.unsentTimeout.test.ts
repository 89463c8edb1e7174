import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '@bot/http';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A call whose deadline passes while its attempt is still opening a connection (a host that takes
// the TCP connection but never completes the TLS handshake, a firewall dropping the connect) wrote
// nothing of its request: its TimeoutError must say so, not that a send may have been delivered.
// One whose request went out on a connection and got no answer may have been delivered.

const TIMERS = ['setTimeout', 'clearTimeout', 'Date', 'performance'] as const;
const SEND = {
  method: 'POST',
  route: '/channels/{channel_id}/messages',
  params: { channel_id: 'c1' },
  body: { content: 'hello', msg_id: 'm1' },
} as const;

describe('a call timing out', () => {
  const fixture = useRestFixture();
  let silent: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  afterEach(async () => {
    vi.useRealTimers();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
  });

  it('in the TLS handshake of a new connection says nothing was sent', async () => {
    let received = 0;
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (bytes) => (received += bytes.length));
    });
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const rest = fixture.client({ baseUrl: `https://127.0.0.1:${port}`, timeout: 15_000 });
    await rest.tokens.get();
    vi.useFakeTimers({ toFake: [...TIMERS] });

    const call = rest.request(SEND).catch((e: unknown) => e);
    await until(() => received > 0); // the TLS ClientHello, nothing of the request
    await settle();
    await vi.advanceTimersByTimeAsync(15_000);
    const error = await call;

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    expect((error as Error).message).not.toContain('may have been delivered');
  });

  it.each([
    ['a new connection', false],
    ['a kept-alive connection', true],
  ])('on %s it wrote its request to says it may have been delivered', async (_name, reused) => {
    fixture.platform.handler = (request) =>
      request.method === 'GET' ? { body: { id: 'me' } } : { hang: true };
    const rest = fixture.client({ timeout: 15_000 });
    await rest.tokens.get();
    if (reused) await rest.request({ method: 'GET', route: '/users/@me' });
    fixture.platform.requests.length = 0;
    vi.useFakeTimers({ toFake: [...TIMERS] });

    const call = rest.request(SEND).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    await settle();
    await vi.advanceTimersByTimeAsync(15_000);
    const error = await call;

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).toContain('may have been delivered');
  });
});
