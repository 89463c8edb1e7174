import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AccessTokenProvider, NetworkError, TimeoutError, Token, createLogger } from '@bot/http';

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
