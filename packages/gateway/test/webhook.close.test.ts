/**
 * Closing the receiver's own server: close() settles even when a connection never finishes its
 * request head (Node stops enforcing the head timeout once a server closes), and a client that
 * keeps posting on a kept-alive connection cannot hold close() open: a request arriving after
 * close() began is still answered, with `Connection: close`. So is one that arrived before close()
 * and is answered after it began: kept alive, its connection would hold close() for the idle timeout.
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

  it('answers a request whose head completes on a kept-alive connection after close() began with Connection: close', async () => {
    const server = await start({});
    const client = await open(server);
    client.writeHead('/qq', { ...signedHeaders(DELIVERY), 'Content-Length': DELIVERY.length });
    client.socket.write(DELIVERY);
    expect((await client.nextAnswer()).headers.get('connection')).toBe('keep-alive');
    // The next request's first line, in before close(): the connection is busy, not idle.
    client.socket.write('POST /qq HTTP/1.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));

    const closed = server.close();
    const body = DELIVERY.replace('evt-1', 'evt-2');
    const headers = { ...signedHeaders(body), 'Content-Length': body.length, Host: '127.0.0.1' };
    for (const [name, value] of Object.entries(headers)) client.socket.write(`${name}: ${value}\r\n`);
    client.socket.write(`\r\n${body}`);
    const late = await client.nextAnswer();

    expect(late.status).toBe(200);
    expect(late.headers.get('connection')).toBe('close');
    await client.closed;
    await closed;
  });

  it('answers every delivery in flight on a kept-alive connection with Connection: close, and settles right after', async () => {
    // Kept alive after their answers, the connections would hold close() for idleTimeoutMs; closed
    // while idle by a sweep, a client might already be sending its next delivery on one (reset).
    const server = await start({ idleTimeoutMs: 5_000 });
    const deliveries = Array.from({ length: 80 }, (_, index) => DELIVERY.replace('evt-1', `evt-${index}`));
    const connections = await Promise.all(deliveries.map(() => open(server)));
    for (const [index, client] of connections.entries()) {
      const body = deliveries[index]!;
      client.writeHead('/qq', { ...signedHeaders(body), 'Content-Length': body.length });
      client.socket.write(body);
    }
    const first = await Promise.all(connections.map((client) => client.nextAnswer()));
    expect(first.map((answer) => `${answer.status} ${answer.headers.get('connection')}`)).toEqual(
      connections.map(() => '200 keep-alive'),
    );
    // Each kept-alive connection carries a second delivery, its head in before close() and the rest
    // of its body after.
    const arrived = requestsSeen(server.server, connections.length);
    const second = deliveries.map((body) => body.replace('"hi"', '"hm"'));
    for (const [index, client] of connections.entries()) {
      const body = second[index]!;
      client.writeHead('/qq', { ...signedHeaders(body), 'Content-Length': body.length });
      client.socket.write(body.slice(0, 10));
    }
    await arrived;

    const closed = server.close();
    for (const [index, client] of connections.entries()) client.socket.write(second[index]!.slice(10));
    const answers = await Promise.allSettled(connections.map((client) => client.nextAnswer()));
    const answeredAt = Date.now();
    const closedWithin = await Promise.race([
      closed.then(() => Date.now() - answeredAt),
      new Promise<string>((resolve) => setTimeout(() => resolve('still open after 2 s'), 2_000)),
    ]);

    // Answered, none reset: a rejection is a connection closed before its answer.
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value.status : 'reset'))).toEqual(
      connections.map(() => 200),
    );
    expect(
      answers.map((answer) => (answer.status === 'fulfilled' ? answer.value.headers.get('connection') : '')),
    ).toEqual(connections.map(() => 'close'));
    expect(closedWithin).toBeLessThan(1_000);
    await Promise.all(connections.map((client) => client.closed));
  });
});
