/**
 * Closing the receiver's own server: close() settles even when a connection never finishes its
 * request head (Node stops enforcing the head timeout once a server closes), and a client that
 * keeps posting on a kept-alive connection cannot hold close() open: a request arriving after
 * close() began is still answered, with `Connection: close`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookLimits, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, RawClient, SECRET, requestsSeen, signedHeaders } from './webhookClient.js';

const DELIVERY = '{"op":0,"t":"C2C_MESSAGE_CREATE","id":"evt-1","d":{"content":"hi"}}';

const clients: RawClient[] = [];
const servers: WebhookServer[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(limits: Partial<WebhookLimits>): Promise<WebhookServer> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
    limits,
  });
  receiver.on('dispatch', () => undefined); // an event is acknowledged only with a listener
  const server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server;
}

async function open(server: WebhookServer): Promise<RawClient> {
  const client = await RawClient.open(server.server);
  clients.push(client);
  return client;
}

/** Resolves once `server` has accepted `count` connections in total. */
function connectionsSeen(server: WebhookServer, count: number): Promise<void> {
  return new Promise((resolve, reject) =>
    server.server.getConnections((error, open) => {
      if (error) reject(error);
      else if (open >= count) resolve();
      else server.server.once('connection', () => resolve());
    }),
  );
}

describe('WebhookServer.close', () => {
  it(
    'settles, closing the connection, when a request head never completes',
    { timeout: 10_000 },
    async () => {
      const server = await start({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });
      const client = await open(server);
      client.socket.write('POST /qq HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await connectionsSeen(server, 1);

      await server.close();

      await client.closed;
      expect(client.socket.destroyed).toBe(true);
    },
  );

  it('answers a request that arrives on a kept-alive connection after close() began with Connection: close', async () => {
    const server = await start({});
    const client = await open(server);
    const arrived = requestsSeen(server.server, 1);
    client.writeHead('/qq', { ...signedHeaders(DELIVERY), 'Content-Length': DELIVERY.length });
    client.socket.write(DELIVERY.slice(0, 10));
    await arrived;

    const closed = server.close();
    client.socket.write(DELIVERY.slice(10));
    expect((await client.nextAnswer()).status).toBe(200);
    const body = DELIVERY.replace('evt-1', 'evt-2');
    client.writeHead('/qq', { ...signedHeaders(body), 'Content-Length': body.length });
    client.socket.write(body);
    const late = await client.nextAnswer();

    expect(late.status).toBe(200);
    expect(late.headers.get('connection')).toBe('close');
    await client.closed;
    await closed;
  });
});
