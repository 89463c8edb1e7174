import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError, type RestClient } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// A server closes a kept-alive connection once it has been idle for its keep-alive timeout. A
// request the client writes on that connection as the server closes it is lost: the server reads
// none of it, and the client sees ECONNRESET on a POST it cannot prove unsent. These tests send
// that request at the very moment the server closes the connection (from the server's own idle
// timeout, before it destroys the socket), so the race is met every time, not by chance.

/** A DM send: not deduplicated by the platform, so never re-sent once it may have been delivered. */
const dmSend = {
  method: 'POST',
  route: '/dms/{guild_id}/messages',
  params: { guild_id: 'g1' },
  body: { content: 'hello' },
} as const;

interface IdleServer {
  server: http.Server;
  baseUrl: string;
  /** Requests the server read. */
  requests: number;
  /** Connections the server accepted. */
  connections: number;
  /** Called as an idle connection's keep-alive timeout fires, before the server closes it. */
  onIdleClose?: (() => void) | undefined;
}

/**
 * A server that closes a connection once it has been idle for `keepAliveMs`, announcing that
 * timeout in a `Keep-Alive` header unless `announce` is false, and answering each request after
 * `answerMs`. It closes the connection itself (Node's own keep-alive timer is off), so that the
 * moment it does so is known, and calls `onIdleClose` then, whether or not the client already
 * closed the connection: the request it sends meets the race if the connection is still pooled.
 */
async function idleServer(keepAliveMs: number, announce: boolean, answerMs = 0): Promise<IdleServer> {
  const state = { requests: 0, connections: 0 } as IdleServer;
  const idleTimers = new Map<Socket, NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    state.requests++;
    const { socket } = req;
    clearTimeout(idleTimers.get(socket));
    req.resume();
    req.on('end', () => {
      const answer = (): void => {
        res.setHeader('content-type', 'application/json');
        if (announce) res.setHeader('keep-alive', `timeout=${keepAliveMs / 1000}, max=100`);
        res.end('{"id":"m1"}');
      };
      if (answerMs === 0) answer();
      else setTimeout(answer, answerMs);
    });
    res.on('finish', () => {
      const timer = setTimeout(() => {
        idleTimers.delete(socket);
        // The request goes out first, then the socket closes, in the same turn of the event loop.
        state.onIdleClose?.();
        socket.destroy();
      }, keepAliveMs);
      idleTimers.set(socket, timer);
    });
  });
  server.keepAliveTimeout = 0;
  server.on('connection', () => state.connections++);
  server.on('close', () => idleTimers.forEach((timer) => clearTimeout(timer)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.server = server;
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Sends {@link dmSend} as the server closes its idle connection; resolves to its result or error. */
function sendAsServerCloses(rest: RestClient, server: IdleServer): Promise<unknown> {
  return new Promise((resolve) => {
    server.onIdleClose = () => {
      server.onIdleClose = undefined;
      rest.request(dmSend).then(resolve, resolve);
    };
  });
}

describe('a kept-alive connection the server closes when idle', () => {
  const fixture = useRestFixture();
  let server: IdleServer | undefined;
  afterEach(async () => {
    server?.server.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('is not reused past the timeout the server announced (Keep-Alive: timeout=2)', async () => {
    server = await idleServer(2000, true);
    const rest = fixture.client({ baseUrl: server.baseUrl, retries: 0 });
    await rest.request(dmSend);

    const result = await sendAsServerCloses(rest, server);

    expect(result).toEqual({ id: 'm1' });
    expect(server.requests).toBe(2);
    expect(server.connections).toBe(2);
  });

  it('is not reused past a lifetime below common server timeouts when none is announced', async () => {
    server = await idleServer(4500, false);
    const rest = fixture.client({ baseUrl: server.baseUrl, retries: 0 });
    await rest.request(dmSend);

    const result = await sendAsServerCloses(rest, server);

    expect(result).toEqual({ id: 'm1' });
    expect(server.requests).toBe(2);
  });

  it('is reused within its idle lifetime, however long an answer takes on it', async () => {
    server = await idleServer(2000, true, 1500);
    const rest = fixture.client({ baseUrl: server.baseUrl, retries: 0 });
    await rest.request(dmSend);
    // The answer takes longer than the connection may stay idle: it is not cut off for that.
    await expect(rest.request(dmSend)).resolves.toEqual({ id: 'm1' });
    await rest.request(dmSend);

    expect(server.requests).toBe(3);
    expect(server.connections).toBe(1);
  });

  it('is not kept at all when the server announces a timeout of one second or less', async () => {
    server = await idleServer(1000, true);
    const rest = fixture.client({ baseUrl: server.baseUrl, retries: 0 });
    await rest.request(dmSend);
    await rest.request(dmSend);

    expect(server.connections).toBe(2);
  });

  it('still fails a POST that met the race, saying it may have been delivered, and does not re-send it', async () => {
    // Closing earlier than announced (or a restart) the client cannot foresee: the lost request
    // cannot be told from one the server read, so a DM send is not sent twice.
    server = await idleServer(300, false);
    const rest = fixture.client({ baseUrl: server.baseUrl, retries: 2 });
    await rest.request(dmSend);

    const error = await sendAsServerCloses(rest, server);
    await delay(50);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).toContain('ECONNRESET');
    expect(server.requests).toBe(1);
  });
});
