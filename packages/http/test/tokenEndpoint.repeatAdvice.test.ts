import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AccessTokenProvider, NetworkError, RestClient, TimeoutError, Token, createLogger } from '@bot/http';

/** A TCP server on 127.0.0.1 that does `onData` with each request it reads. */
async function rawServer(onData: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => onData(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/getAppAccessToken`;
}

const provider = (tokenUrl: string): AccessTokenProvider =>
  new AccessTokenProvider(new Token('1024', 'secret'), {
    tokenUrl,
    timeout: 200,
    logger: createLogger('test', 7),
  });

// Asking for a token twice posts nothing anyone sees: the advice for a POST that may have been
// delivered (a message sent twice) does not apply to it.
describe('a token request that failed after it may have been sent', () => {
  it('times out without telling the caller to check before asking again', async () => {
    const error = await provider(await rawServer(() => undefined))
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).not.toContain('may have been delivered');
  });

  it('loses its connection without telling the caller to check before asking again', async () => {
    const error = await provider(await rawServer((socket) => socket.destroy()))
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).not.toContain('may have been delivered');
  });
});

// The token request has its own timeout, the provider's: raising the client's or the call's
// `timeout` changes nothing about it, so its message names the provider's option.
describe('a token request that timed out', () => {
  it("names the token provider's timeout as the one to raise", async () => {
    const error = await provider(await rawServer(() => undefined))
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('timed out after 200 ms');
    expect((error as Error).message).toContain('AccessTokenProvider');
    expect((error as Error).message).not.toContain('(client or call)');
  });

  it("fails a client's call with that advice whatever the call's own timeout", async () => {
    const rest = new RestClient({
      token: new Token('1024', 'secret'),
      tokens: provider(await rawServer(() => undefined)),
      baseUrl: 'http://127.0.0.1:9',
      timeout: 30_000,
      retries: 0,
      logger: createLogger('test', 7),
    });
    onTestFinished(() => rest.destroy());
    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', route: '/app/getAppAccessToken', timeout: 200 });
    expect((error as Error).message).toContain('AccessTokenProvider');
    expect((error as Error).message).not.toContain('(client or call)');
  });
});
