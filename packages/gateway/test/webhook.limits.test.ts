import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import { WebhookReceiver, WebhookRefusedError, type WebhookLimits, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import {
  APP_ID,
  RawClient,
  collectConnections,
  SECRET,
  nowSeconds,
  parseAnswer,
  post,
  requestsSeen,
  signedHeaders,
  trackBytesRead,
} from './webhookClient.js';

const DELIVERY = '{"op":0,"t":"C2C_MESSAGE_CREATE","id":"evt-1","d":{"content":"hi"}}';
/** Well-formed signature headers: they pass every check that runs before the body is read. */
const FORMED_SIGNATURE = { 'X-Signature-Ed25519': 'ab'.repeat(64), 'X-Bot-Appid': APP_ID };
/** How much a Node socket reads from the kernel at once. */
const READ_CHUNK = 64 * 1024;

let server: WebhookServer | undefined;
let clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients) client.socket.destroy();
  clients = [];
  await server?.close();
  server = undefined;
});

async function start(
  limits: Partial<WebhookLimits>,
): Promise<{ receiver: WebhookReceiver; server: WebhookServer; refusals: WebhookRefusedError[] }> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
    limits,
  });
  const refusals: WebhookRefusedError[] = [];
  receiver.on('rejected', (_status, _reason, error) => refusals.push(error));
  receiver.on('dispatch', () => undefined); // an event is acknowledged only with a listener
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  return { receiver, server, refusals };
}

async function open(target: WebhookServer): Promise<RawClient> {
  const client = await RawClient.open(target.server);
  clients.push(client);
  return client;
}

/** Writes chunked-encoding chunks of `size` bytes until the connection closes or `total` bytes are sent. */
function pump(client: RawClient, size: number, total: number): Promise<'closed' | 'sent everything'> {
  const frame = Buffer.concat([
    Buffer.from(`${size.toString(16)}\r\n`),
    Buffer.alloc(size, 0x78),
    Buffer.from('\r\n'),
  ]);
  return new Promise((resolve) => {
    let sent = 0;
    const { socket } = client;
    socket.once('close', () => resolve('closed'));
    const write = (): void => {
      while (!socket.destroyed) {
        if (sent >= total) {
          resolve('sent everything');
          return;
        }
        sent += size;
        if (!socket.write(frame)) return;
      }
    };
    socket.on('drain', write);
    write();
  });
}

describe('WebhookReceiver limits: oversized bodies', () => {
  it('cuts a body streamed far past maxBodyBytes: 413, connection closed, at most the cap plus one read', async () => {
    const { server: target, refusals } = await start({ maxBodyBytes: 64 * 1024 });
    const bytesRead = trackBytesRead(target.server);
    const client = await open(target);
    client.writeHead('/qq', {
      ...FORMED_SIGNATURE,
      'X-Signature-Timestamp': nowSeconds(),
      'Transfer-Encoding': 'chunked',
    });

    const outcome = await pump(client, 16 * 1024, 64 * 1024 * 1024);
    const received = await client.closed;

    expect(outcome).toBe('closed');
    const answer = parseAnswer(received);
    expect(answer?.status).toBe(413);
    expect(answer?.headers.get('connection')).toBe('close');
    await target.close();
    expect(bytesRead).toHaveLength(1);
    expect(bytesRead[0]).toBeLessThanOrEqual(64 * 1024 + READ_CHUNK + 1024);
    expect(refusals.map((error) => error.code)).toEqual(['bodyTooLarge']);
  });

  it('refuses a Content-Length over maxBodyBytes before reading a byte of the body', async () => {
    const { server: target, refusals } = await start({ maxBodyBytes: 4096 });
    const bytesRead = trackBytesRead(target.server);
    const client = await open(target);
    client.writeHead('/qq', {
      ...FORMED_SIGNATURE,
      'X-Signature-Timestamp': nowSeconds(),
      'Content-Length': 10_000_000,
    });

    const answer = parseAnswer(await client.closed);

    expect(answer?.status).toBe(413);
    expect(answer?.headers.get('connection')).toBe('close');
    expect(JSON.parse(answer?.body ?? '')).toEqual({ error: expect.stringMatching(/10000000 bytes.*4096/) });
    await target.close();
    expect(bytesRead[0]).toBeLessThan(1024); // the request head only
    expect(refusals[0]).toBeInstanceOf(WebhookRefusedError);
    expect(refusals[0]).toMatchObject({ code: 'bodyTooLarge', status: 413 });
  });
});

describe('WebhookReceiver limits: checks before the body is read', () => {
  it('refuses a request without signature headers that is larger than a URL validation, without reading it', async () => {
    const { server: target, refusals } = await start({});
    const bytesRead = trackBytesRead(target.server);
    const client = await open(target);
    client.writeHead('/qq', { 'X-Bot-Appid': APP_ID, 'Content-Length': 100_000 });

    const answer = parseAnswer(await client.closed);

    expect(answer?.status).toBe(401);
    expect(answer?.headers.get('connection')).toBe('close');
    await target.close();
    expect(bytesRead[0]).toBeLessThan(1024);
    expect(refusals.map((error) => error.code)).toEqual(['missingSignature']);
  });

  it.each<[string, Record<string, string>, string]>([
    ['only a signature', { 'X-Signature-Ed25519': 'ab'.repeat(64) }, 'malformedSignature'],
    ['only a timestamp', { 'X-Signature-Timestamp': nowSeconds() }, 'malformedSignature'],
    [
      'a signature that is not 64 hex bytes',
      { 'X-Signature-Ed25519': 'ab'.repeat(63), 'X-Signature-Timestamp': nowSeconds() },
      'malformedSignature',
    ],
    [
      'a timestamp that is not unix seconds',
      { 'X-Signature-Ed25519': 'ab'.repeat(64), 'X-Signature-Timestamp': '2024-09-04T10:00:00Z' },
      'malformedSignature',
    ],
    [
      'a timestamp outside the tolerance',
      { 'X-Signature-Ed25519': 'ab'.repeat(64), 'X-Signature-Timestamp': String(Number(nowSeconds()) - 600) },
      'staleTimestamp',
    ],
  ])('refuses %s with 401 before reading the body', async (_, headers, code) => {
    const { server: target, refusals } = await start({});
    const bytesRead = trackBytesRead(target.server);
    const client = await open(target);
    client.writeHead('/qq', { 'X-Bot-Appid': APP_ID, ...headers, 'Content-Length': 500 });

    const answer = parseAnswer(await client.closed);

    expect(answer?.status).toBe(401);
    expect(answer?.headers.get('connection')).toBe('close');
    await target.close();
    expect(bytesRead[0]).toBeLessThan(1024);
    expect(refusals.map((error) => error.code)).toEqual([code]);
  });
});

describe('WebhookReceiver limits: the buffered-bytes budget', () => {
  it('answers 503 with Retry-After to a body that would overrun maxBufferedBytes, and frees the budget of bodies that end', async () => {
    const { server: target, refusals } = await start({
      maxBodyBytes: 4096,
      maxBufferedBytes: 8192,
      bodyTimeoutMs: 3000,
    });
    const stalledHead = {
      ...FORMED_SIGNATURE,
      'X-Signature-Timestamp': nowSeconds(),
      'Content-Length': 4096,
    };
    const accepted = collectConnections(target.server);
    const bothSeen = requestsSeen(target.server, 2);
    const first = await open(target);
    const second = await open(target);
    first.writeHead('/qq', stalledHead);
    second.writeHead('/qq', stalledHead);
    first.socket.write('{"op":0,');
    second.socket.write('{"op":0,');
    await bothSeen;

    const declared = await open(target);
    declared.writeHead('/qq', stalledHead);
    const chunked = await open(target);
    chunked.writeHead('/qq', {
      ...FORMED_SIGNATURE,
      'X-Signature-Timestamp': nowSeconds(),
      'Transfer-Encoding': 'chunked',
    });
    chunked.socket.write('1\r\n{\r\n');

    for (const refused of [declared, chunked]) {
      const answer = parseAnswer(await refused.closed);
      expect(answer?.status).toBe(503);
      expect(answer?.headers.get('retry-after')).toBe('3');
      expect(answer?.headers.get('connection')).toBe('close');
    }
    expect(refusals.map((error) => error.code)).toEqual(['overloaded', 'overloaded']);

    // A client hanging up mid-body gives its share back.
    const serverSide = accepted[0];
    const serverSideClosed = new Promise((resolve) => serverSide?.once('close', resolve));
    first.socket.destroy();
    await serverSideClosed;
    const answer = await post(target.url, DELIVERY, signedHeaders(DELIVERY));
    expect(answer.status).toBe(200);
  });

  it('gives back exactly what each accepted body took: after many deliveries, bodies in progress are still held to maxBufferedBytes', async () => {
    const { server: target, refusals } = await start({
      maxBodyBytes: 4096,
      maxBufferedBytes: 8192,
      bodyTimeoutMs: 3000,
    });
    // Each body is given back once its delivery is answered; a request's later 'close' must not
    // give it back again, or these ~10,500 bytes would let the third stalled body in below.
    const large = JSON.stringify({
      op: 0,
      t: 'C2C_MESSAGE_CREATE',
      id: 'evt-large',
      d: { content: 'x'.repeat(3400) },
    });
    for (let delivery = 0; delivery < 3; delivery++)
      expect((await post(target.url, large, signedHeaders(large))).status).toBe(200);

    const stalledHead = {
      ...FORMED_SIGNATURE,
      'X-Signature-Timestamp': nowSeconds(),
      'Content-Length': 4096,
    };
    const bothSeen = requestsSeen(target.server, 2);
    for (const stalled of [await open(target), await open(target)]) {
      stalled.writeHead('/qq', stalledHead);
      stalled.socket.write('{"op":0,');
    }
    await bothSeen;
    const third = await open(target);
    third.writeHead('/qq', { ...stalledHead, 'Content-Length': 1024 });
    expect(parseAnswer(await third.closed)?.status).toBe(503);
    expect(refusals.map((error) => error.code)).toEqual(['overloaded']);
  });
});

describe('WebhookReceiver limits: what an answered request keeps', () => {
  it("a delivery's request keeps none of the reader's listeners once answered, accepted or cut off at the cap", async () => {
    // Node keeps a keep-alive connection's last request until the next one arrives: a listener
    // left on it would keep the reader, and the body it read, alive that long.
    const receiver = new WebhookReceiver({
      secret: SECRET,
      appId: APP_ID,
      logger: silentLogger(),
      limits: { maxBodyBytes: 4096 },
    });
    receiver.on('dispatch', () => undefined);
    const left: { status: number; data: number; end: number; close: number }[] = [];
    const existing: Server = createServer((req, res) => {
      void receiver.handle(req, res).then(() =>
        left.push({
          status: res.statusCode,
          data: req.listenerCount('data'),
          // Node's own clearIncoming, added when an answer ends before its request, lets go of it.
          end: req.listeners('end').filter((listener) => listener.name !== 'clearIncoming').length,
          close: req.listenerCount('close'),
        }),
      );
    });
    await new Promise<void>((resolve) => existing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(existing.address() as AddressInfo).port}/`;
    try {
      expect((await post(url, DELIVERY, signedHeaders(DELIVERY))).status).toBe(200);
      const client = await RawClient.open(existing);
      clients.push(client);
      client.writeHead('/', {
        ...FORMED_SIGNATURE,
        'X-Signature-Timestamp': nowSeconds(),
        'Transfer-Encoding': 'chunked',
      });
      await pump(client, 1024, 8 * 1024);
      expect(parseAnswer(await client.closed)?.status).toBe(413);

      expect(left).toEqual([
        { status: 200, data: 0, end: 0, close: 0 },
        { status: 413, data: 0, end: 0, close: 0 },
      ]);
    } finally {
      existing.closeAllConnections();
      await new Promise<void>((resolve) => existing.close(() => resolve()));
    }
  });
});

describe('WebhookReceiver back-pressure', () => {
  it('refuses deliveries with 503 and Retry-After, their bodies unread, while busy() says so', async () => {
    let busy = true;
    const receiver = new WebhookReceiver({
      secret: SECRET,
      appId: APP_ID,
      path: '/qq',
      logger: silentLogger(),
      busy: () => busy,
    });
    const refusals: WebhookRefusedError[] = [];
    receiver.on('rejected', (_status, _reason, error) => refusals.push(error));
    receiver.on('dispatch', () => undefined);
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    const bytesRead = trackBytesRead(server.server);
    const client = await open(server);
    client.writeHead('/qq', { ...signedHeaders(DELIVERY), 'Content-Length': DELIVERY.length });

    const answer = parseAnswer(await client.closed);

    expect(answer?.status).toBe(503);
    expect(answer?.headers.get('retry-after')).toBe('1');
    expect(answer?.headers.get('connection')).toBe('close');
    expect(refusals).toEqual([expect.objectContaining({ code: 'overloaded', retryAfterSeconds: 1 })]);
    busy = false;
    expect((await post(server.url, DELIVERY, signedHeaders(DELIVERY))).status).toBe(200);
    await server.close();
    expect(bytesRead[0]).toBeLessThan(1024);
  });

  it('answers a request that cannot be authentic 401 even while busy: the head is checked first', async () => {
    const receiver = new WebhookReceiver({ secret: SECRET, logger: silentLogger(), busy: () => true });
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    const answer = await post(server.url, DELIVERY, { 'X-Signature-Timestamp': nowSeconds() });
    expect(answer.status).toBe(401);
  });
});

describe('WebhookReceiver limits: timeouts and the connection cap', () => {
  it('cuts a stalled body after bodyTimeoutMs with 408 and closes the connection', async () => {
    const { server: target, refusals } = await start({ bodyTimeoutMs: 200 });
    const client = await open(target);
    client.writeHead('/qq', { ...signedHeaders(DELIVERY), 'Content-Length': DELIVERY.length });
    client.socket.write(DELIVERY.slice(0, 10));

    const answer = parseAnswer(await client.closed);

    expect(answer?.status).toBe(408);
    expect(answer?.headers.get('connection')).toBe('close');
    expect(refusals.map((error) => error.code)).toEqual(['bodyTimeout']);
  });

  it('closes a connection whose request head does not arrive within headersTimeoutMs', async () => {
    const { server: target } = await start({ headersTimeoutMs: 200 });
    const client = await open(target);
    client.socket.write('POST /qq HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    const answer = parseAnswer(await client.closed);

    expect(answer?.status).toBe(408);
  });

  it('closes an idle keep-alive connection after idleTimeoutMs', { timeout: 4000 }, async () => {
    const { server: target } = await start({ idleTimeoutMs: 200 });
    const client = await open(target);
    client.writeHead('/qq', { ...signedHeaders(DELIVERY), 'Content-Length': DELIVERY.length });
    client.socket.write(DELIVERY);
    expect((await client.nextAnswer()).status).toBe(200);

    await client.closed;
  });

  it('keeps a connection open across accepted deliveries', async () => {
    const { server: target } = await start({});
    const client = await open(target);
    for (const id of ['a', 'b', 'c']) {
      const body = DELIVERY.replace('evt-1', id);
      client.writeHead('/qq', { ...signedHeaders(body), 'Content-Length': body.length });
      client.socket.write(body);
      const answer = await client.nextAnswer();
      expect(answer.status).toBe(200);
      expect(answer.headers.get('connection')).not.toBe('close');
    }
  });

  it('drops connections beyond maxConnections at once', async () => {
    const { server: target } = await start({ maxConnections: 2 });
    const accepted = collectConnections(target.server);
    await open(target);
    await open(target);
    const third = await open(target);

    expect(await third.closed).toBe('');

    // Room again once one of the two goes away.
    const serverSideClosed = new Promise((resolve) => accepted[0]?.once('close', resolve));
    clients[0]?.socket.destroy();
    await serverSideClosed;
    const answer = await post(target.url, DELIVERY, signedHeaders(DELIVERY));
    expect(answer.status).toBe(200);
  });
});

describe('WebhookReceiver limits: options', () => {
  it.each<[Partial<WebhookLimits>, RegExp]>([
    [{ maxBodyBytes: 0 }, /limits\.maxBodyBytes must be an integer/],
    [{ maxBufferedBytes: 1.5 }, /limits\.maxBufferedBytes must be an integer/],
    [{ maxBodyBytes: 2048, maxBufferedBytes: 1024 }, /limits\.maxBufferedBytes must be an integer ≥ 2048/],
    [{ headersTimeoutMs: -1 }, /limits\.headersTimeoutMs/],
    [{ bodyTimeoutMs: Number.NaN }, /limits\.bodyTimeoutMs/],
    [{ idleTimeoutMs: 0 }, /limits\.idleTimeoutMs/],
    [{ maxConnections: 0 }, /limits\.maxConnections/],
    [{ timestampToleranceSeconds: 0 }, /limits\.timestampToleranceSeconds/],
    [{ headersTimeoutMs: 2 ** 31 }, /limits\.headersTimeoutMs must be an integer from 1 to/],
    [{ maxBodySize: 10 } as Partial<WebhookLimits>, /limits\.maxBodySize is not a webhook limit/],
  ])('refuses limits %o', (limits, message) => {
    expect(() => new WebhookReceiver({ secret: SECRET, limits })).toThrow(ValidationError);
    expect(() => new WebhookReceiver({ secret: SECRET, limits })).toThrow(message);
  });

  it('publishes its resolved limits, defaults filled in', () => {
    const receiver = new WebhookReceiver({ secret: SECRET, limits: { maxConnections: 7 } });
    expect(receiver.limits).toEqual({
      maxBodyBytes: 1024 * 1024,
      maxBufferedBytes: 32 * 1024 * 1024,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      idleTimeoutMs: 5_000,
      maxConnections: 7,
      timestampToleranceSeconds: 300,
    });
  });
});
