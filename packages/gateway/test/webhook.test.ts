import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, type ILogObj } from 'tslog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, WebhookSigner, type DispatchPayload, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';

const SECRET = 'DG5g3B4j9X2KOErG';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    // A server refusing a large body may close before the upload ends; the answer still counts.
    req.on('error', (error) =>
      error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error),
    );
    req.end(init.body);
  });
}

function signed(
  body: string,
  timestamp = Math.floor(Date.now() / 1000).toString(),
  secret = SECRET,
): Record<string, string> {
  const signature = WebhookSigner.fromSecret(secret).sign(timestamp + body);
  return {
    'Content-Type': 'application/json',
    'X-Signature-Ed25519': signature,
    'X-Signature-Timestamp': timestamp,
    'X-Bot-Appid': '11111111',
    'User-Agent': 'QQBot-Callback',
  };
}

describe('WebhookSigner', () => {
  it('derives the public key the platform documents for its example secret', () => {
    // The signing page's example: the seed is the secret repeated to 32 bytes.
    const signer = WebhookSigner.fromSecret('naOC0ocQE3shWLAfffVLB1rhYPG7');
    expect(signer.publicKeyHex).toBe(
      Buffer.from([
        215, 195, 98, 254, 120, 174, 248, 31, 242, 50, 135, 180, 147, 98, 139, 93, 176, 42, 60, 79, 227, 11,
        33, 94, 77, 25, 96, 155, 93, 118, 103, 58,
      ]).toString('hex'),
    );
    const message = Buffer.from('1725442341{ "op": 0,"d": {}, "t": "GATEWAY_EVENT_NAME"}');
    expect(signer.verify(message, signer.sign(message))).toBe(true);
  });

  it('refuses signatures that are not 64 hex bytes or not canonical', () => {
    const signer = WebhookSigner.fromSecret(SECRET);
    const message = Buffer.from('1725442341{}');
    const good = signer.sign(message);
    expect(signer.verify(message, good.slice(0, 126))).toBe(false);
    expect(signer.verify(message, `${good}00`)).toBe(false);
    expect(signer.verify(message, good.replace(/.{2}$/, 'ff'))).toBe(false);
    expect(signer.verify(Buffer.from('1725442341{ }'), good)).toBe(false);
  });

  it('refuses an empty secret', () => {
    expect(() => WebhookSigner.fromSecret('')).toThrow(/secret must not be empty/);
  });
});

describe('WebhookReceiver', () => {
  let receiver: WebhookReceiver;
  let server: WebhookServer;
  let events: DispatchPayload[];
  let rejections: [number, string][];

  beforeEach(async () => {
    receiver = new WebhookReceiver({
      secret: SECRET,
      appId: '11111111',
      path: '/qq',
      limits: { maxBodyBytes: 4096 },
      logger: silentLogger(),
    });
    events = [];
    rejections = [];
    receiver.on('dispatch', (payload) => events.push(payload));
    receiver.on('rejected', (status, reason) => rejections.push([status, reason]));
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  });

  afterEach(async () => {
    await server.close();
  });

  it('answers the official op 13 validation vector', async () => {
    const answer = await send(server.url, {
      headers: { 'User-Agent': 'QQBot-Callback', 'X-Bot-Appid': '11111111' },
      body: '{"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":"1725442341"},"op":13}',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      plain_token: 'Arq0D5A61EgUu4OxUvOp',
      signature:
        '87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706',
    });
  });

  it('acknowledges a signed op 0 with op 12 and emits it, verifying the raw bytes as sent', async () => {
    const body = '{ "t":"GROUP_AT_MESSAGE_CREATE",  "op":0, "id":"evt-1", "s":7, "d":{"content":"hi"} }';
    const answer = await send(server.url, { headers: signed(body), body });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ op: 12, d: 0 });
    expect(events).toEqual([
      { t: 'GROUP_AT_MESSAGE_CREATE', op: 0, id: 'evt-1', s: 7, d: { content: 'hi' } },
    ]);
  });

  const op0 = '{"op":0,"t":"C2C_MESSAGE_CREATE","id":"e","d":{}}';
  it.each<
    [
      string,
      () => { method?: string; headers?: Record<string, string>; body?: string; path?: string },
      number,
      RegExp,
    ]
  >([
    [
      'a missing signature',
      () => ({ headers: { 'Content-Type': 'application/json' }, body: op0 }),
      401,
      /without signature headers/,
    ],
    [
      'a signature by another key',
      () => ({ headers: signed(op0, undefined, 'another-secret'), body: op0 }),
      401,
      /bad signature/,
    ],
    [
      'a tampered body',
      () => ({ headers: signed(op0), body: op0.replace('"e"', '"f"') }),
      401,
      /bad signature/,
    ],
    [
      'a short signature',
      () => ({ headers: { ...signed(op0), 'X-Signature-Ed25519': 'abcd' }, body: op0 }),
      401,
      /not 64 hex-encoded bytes/,
    ],
    [
      'a stale timestamp',
      () => ({ headers: signed(op0, String(Math.floor(Date.now() / 1000) - 301)), body: op0 }),
      401,
      /timestamp is 30\d s off/,
    ],
    [
      'another app id',
      () => ({ headers: { ...signed(op0), 'X-Bot-Appid': '999' }, body: op0 }),
      401,
      /another app id/,
    ],
    ['GET', () => ({ method: 'GET' }), 405, /method GET not allowed/],
    ['another path', () => ({ headers: signed(op0), body: op0, path: '/other' }), 404, /unknown path/],
    [
      'a body over the cap',
      () => ({ headers: signed('x'.repeat(5000)), body: 'x'.repeat(5000) }),
      413,
      /exceeds 4096/,
    ],
    ['malformed JSON', () => ({ headers: signed('{"op":'), body: '{"op":' }), 400, /not JSON/],
    ['JSON without op', () => ({ headers: signed('{"t":"X"}'), body: '{"t":"X"}' }), 400, /`op` must be/],
    [
      'a validation token that could double as a delivery signature',
      () => {
        const body = JSON.stringify({ op: 13, d: { plain_token: op0, event_ts: '1725442341' } });
        return { body };
      },
      400,
      /usable `d.plain_token`/,
    ],
  ])('refuses %s', async (_, request, status, reason) => {
    const { path, ...init } = request();
    const answer = await send(path ? server.url.replace('/qq', path) : server.url, init);
    expect(answer.status).toBe(status);
    expect(rejections).toEqual([[status, expect.stringMatching(reason)]]);
    expect(events).toHaveLength(0);
    if (status === 405) expect(answer.headers['allow']).toBe('POST');
  });

  it('a streamed body over the cap is cut off without a Content-Length', async () => {
    const { port } = server.server.address() as AddressInfo;
    const answer = await new Promise<number>((resolve) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/qq', method: 'POST', headers: signed('x') },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => undefined);
      for (let i = 0; i < 10; i++) req.write('y'.repeat(1000));
      req.end();
    });
    expect(answer).toBe(413);
  });

  it('refuses with 500 when a dispatch listener throws, so that the platform delivers it again, and reports it', async () => {
    const errors: Error[] = [];
    receiver.on('error', (error) => errors.push(error));
    receiver.on('dispatch', () => {
      throw new Error('handler bug');
    });
    const answer = await send(server.url, { headers: signed(op0), body: op0 });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({
      error: "a 'dispatch' listener failed on this event: deliver it again",
    });
    expect(errors[0]?.message).toMatch(/'dispatch' listener threw on event .* answered 500/);
  });

  it('works as the handler of an existing server', async () => {
    const plain = new WebhookReceiver({ secret: SECRET, logger: silentLogger() });
    const seen: string[] = [];
    plain.on('dispatch', (payload) => seen.push(payload.t));
    const existing: Server = createServer((req, res) => plain.handler(req, res));
    await new Promise<void>((resolve) => existing.listen(0, '127.0.0.1', resolve));
    const { port } = existing.address() as AddressInfo;
    const answer = await send(`http://127.0.0.1:${port}/anything`, { headers: signed(op0), body: op0 });
    expect(answer.status).toBe(200);
    expect(seen).toEqual(['C2C_MESSAGE_CREATE']);
    await new Promise<void>((resolve) => existing.close(() => resolve()));
  });

  it('handle() resolves once the answer is handed to the response: accepted, refused by its head, by its signature, by its declared length', async () => {
    const plain = new WebhookReceiver({
      secret: SECRET,
      logger: silentLogger(),
      limits: { maxBodyBytes: 4096 },
    });
    plain.on('dispatch', () => undefined); // an event is acknowledged only with a listener
    const settled: { status: number; ended: boolean }[] = [];
    const existing: Server = createServer((req, res) => {
      void plain
        .handle(req, res)
        .then(() => settled.push({ status: res.statusCode, ended: res.writableEnded }));
    });
    await new Promise<void>((resolve) => existing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(existing.address() as AddressInfo).port}/qq`;
    expect((await send(url, { headers: signed(op0), body: op0 })).status).toBe(200);
    expect((await send(url, { method: 'GET' })).status).toBe(405);
    expect((await send(url, { headers: signed(op0), body: op0.replace('"e"', '"f"') })).status).toBe(401);
    const large = 'x'.repeat(5000);
    expect((await send(url, { headers: signed(large), body: large })).status).toBe(413);
    expect(settled).toEqual([
      { status: 200, ended: true },
      { status: 405, ended: true },
      { status: 401, ended: true },
      { status: 413, ended: true },
    ]);
    await new Promise<void>((resolve) => existing.close(() => resolve()));
  });

  it('handle() still answers and settles when the logger throws', async () => {
    const failing = new Logger<ILogObj>({ type: 'hidden', minLevel: 0 });
    failing.attachTransport(() => {
      throw new Error('log sink down');
    });
    const plain = new WebhookReceiver({ secret: SECRET, logger: failing });
    plain.on('error', () => undefined);
    const settled: number[] = [];
    const existing: Server = createServer((req, res) => {
      void plain.handle(req, res).then(() => settled.push(res.statusCode));
    });
    await new Promise<void>((resolve) => existing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(existing.address() as AddressInfo).port}/qq`;
    expect((await send(url, { method: 'GET' })).status).toBe(405);
    expect((await send(url, { headers: signed(op0), body: op0.replace('"e"', '"f"') })).status).toBe(401);
    expect(settled).toEqual([405, 401]);
    await new Promise<void>((resolve) => existing.close(() => resolve()));
  });
});
