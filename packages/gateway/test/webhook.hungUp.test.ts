/**
 * A request whose client hung up before the receiver got it (a framework awaited something first)
 * is refused as aborted at once: nothing more can arrive, so it must not hold its share of the
 * buffered-bytes budget until the body timeout.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookRefusedError } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, RawClient, SECRET, signedHeaders } from './webhookClient.js';

const DELIVERY = '{"op":0,"t":"C2C_MESSAGE_CREATE","id":"evt-1","d":{"content":"hi"}}';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('WebhookReceiver on a request whose client already hung up', () => {
  it('refuses it as aborted, not after the body timeout', async () => {
    const receiver = new WebhookReceiver({
      secret: SECRET,
      appId: APP_ID,
      logger: silentLogger(),
      limits: { bodyTimeoutMs: 200 },
    });
    const refusals: WebhookRefusedError[] = [];
    receiver.on('rejected', (_status, _reason, error) => refusals.push(error));
    let took: (answered: Promise<void>) => void = () => undefined;
    const handled = new Promise<Promise<void>>((resolve) => (took = resolve));
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      // A middleware that takes its time: the client is gone when the receiver gets the request.
      request.once('close', () => took(receiver.handle(request, response)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const arrived = new Promise<void>((resolve) => server.once('request', () => resolve()));

    const client = await RawClient.open(server);
    client.writeHead('/qq', { ...signedHeaders(DELIVERY), 'Content-Length': DELIVERY.length });
    client.socket.write(DELIVERY.slice(0, 10));
    await arrived;
    client.socket.destroy();
    await client.closed;
    await await handled;

    expect(refusals.map((refusal) => refusal.code)).toEqual(['aborted']);
  });
});
