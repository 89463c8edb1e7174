/**
 * Failures of the receiver's own setup are heard: a `busy` callback that throws turns every
 * delivery into a 500, and a body read by something else first (a body parser mounted before the
 * receiver) can never arrive. Both are reported on `error`, the second at once, saying what to do.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, WebhookRefusedError, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, post, SECRET, signedHeaders } from './webhookClient.js';

const DELIVERY = '{"op":0,"t":"C2C_MESSAGE_CREATE","id":"evt-1","d":{"content":"hi"}}';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/qq`;
}

/** Reads a request's body to its end, as a body parser does. */
function consume(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    request.resume();
    request.once('end', resolve);
  });
}

describe('WebhookReceiver internal failures', () => {
  it('reports a busy() that throws on error, with the 500 it answered', async () => {
    const cause = new Error('metrics not ready');
    const receiver = new WebhookReceiver({
      secret: SECRET,
      appId: APP_ID,
      logger: silentLogger(),
      busy: () => {
        throw cause;
      },
    });
    const errors: Error[] = [];
    receiver.on('error', (error) => errors.push(error));
    const server: WebhookServer = await receiver.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => server.close());

    const answer = await post(server.url, DELIVERY, {
      ...signedHeaders(DELIVERY),
      'Content-Length': String(DELIVERY.length),
    });

    expect(answer.status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WebhookRefusedError);
    expect(errors[0]).toMatchObject({ code: 'internal', status: 500, cause });
  });

  it('refuses at once, and reports, a request whose body was already read before the handler got it', async () => {
    const receiver = new WebhookReceiver({
      secret: SECRET,
      appId: APP_ID,
      logger: silentLogger(),
      limits: { bodyTimeoutMs: 200 },
    });
    const errors: Error[] = [];
    const refusals: WebhookRefusedError[] = [];
    receiver.on('error', (error) => errors.push(error));
    receiver.on('rejected', (_status, _reason, error) => refusals.push(error));
    const url = await listen(
      createServer((request, response) => {
        void consume(request).then(() => receiver.handler(request, response));
      }),
    );

    const answer = await post(url, DELIVERY, {
      ...signedHeaders(DELIVERY),
      'Content-Length': String(DELIVERY.length),
    });

    expect(answer.status).toBe(500);
    expect(refusals.map((refusal) => refusal.code)).toEqual(['internal']);
    expect(refusals[0]?.detail).toMatch(/already read.*before any body parser/);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'internal', status: 500, detail: refusals[0]?.detail });
    expect(errors[0]?.message).toMatch(/already read.*before any body parser/);
  });
});
