import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionQueueFullError } from '@bot/http';
import {
  Client,
  createLogger,
  Intents,
  Token,
  ValidationError,
  type Client as BuiltClient,
} from '@bot/client';

// maxSockets() and maxWaitingForConnection() set the REST client's options of the same names,
// which its errors name ("raise maxSockets", "raise maxWaitingForConnection"): the client's REST
// calls open at most maxSockets connections, and past maxWaitingForConnection more are refused.

const builder = () => Client.builder(new Token('app', 'secret'), Intents.default()).eventHandler({});

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A platform on 127.0.0.1 that grants a token and holds every other request unanswered. */
async function holdingPlatform(): Promise<{ baseUrl: string; tokenUrl: string; held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url === '/token') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'granted', expires_in: '7200' }));
    } else held.push(res);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  cleanups.push(
    () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, tokenUrl: `http://127.0.0.1:${port}/token`, held };
}

/** Polls `condition` on the real event loop, for at most 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5_000) throw new Error('condition not met in time');
    await delay(5);
  }
}

describe('ClientBuilder.maxSockets and maxWaitingForConnection', () => {
  it('reach the REST client: maxSockets calls on the wire, maxWaitingForConnection waiting, the rest refused', async () => {
    const platform = await holdingPlatform();
    const client: BuiltClient = await builder()
      .baseUrl(platform.baseUrl, platform.tokenUrl)
      .logger(createLogger('test', 7))
      .maxSockets(2)
      .maxWaitingForConnection(1);
    cleanups.push(() => client.rest.destroy());
    const outcomes: unknown[] = [];
    for (let index = 0; index < 5; index++) {
      client.rest
        .request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: `g${index}` } })
        .then(
          (value) => outcomes.push(value),
          (error: unknown) => outcomes.push(error),
        );
    }
    await until(() => platform.held.length === 2 && client.rest.waitingForConnection === 1);
    await until(() => outcomes.length === 2);
    for (const refused of outcomes) {
      expect(refused).toBeInstanceOf(ConnectionQueueFullError);
      expect(refused).toMatchObject({ maxSockets: 2, limit: 1, mayHaveBeenSent: false });
    }
    await delay(50);
    expect(platform.held).toHaveLength(2);
  });

  it('are unset (the REST client defaults) until set, and are read back', () => {
    expect(builder().getMaxSockets()).toBeUndefined();
    expect(builder().getMaxWaitingForConnection()).toBeUndefined();
    const set = builder().maxSockets(8).maxWaitingForConnection(0);
    expect(set.getMaxSockets()).toBe(8);
    expect(set.getMaxWaitingForConnection()).toBe(0);
  });

  it.each([
    ['maxSockets', 0],
    ['maxSockets', 2.5],
    ['maxSockets', '64'],
    ['maxWaitingForConnection', -1],
    ['maxWaitingForConnection', Number.NaN],
  ] as const)('refuses %s(%s) at once with a ValidationError, keeping the setting', (method, value) => {
    const b = builder().maxSockets(4).maxWaitingForConnection(4);
    expect(() => b[method](value as number)).toThrow(ValidationError);
    expect(() => b[method](value as number)).toThrow(new RegExp(`^${method} must be an integer`));
    expect([b.getMaxSockets(), b.getMaxWaitingForConnection()]).toEqual([4, 4]);
  });
});
