import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { post, SECRET, signedHeaders } from './webhookClient.js';

let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A signed C2C event, as the platform delivers it. */
const DELIVERY = JSON.stringify({
  op: 0,
  id: 'evt-1',
  t: 'C2C_MESSAGE_CREATE',
  s: 1,
  d: { id: 'msg-1', content: 'hi', timestamp: '2026-12-07T08:00:00+08:00', author: { user_openid: 'u' } },
});

describe("a WebhookReceiver server's close() and dispatchWaitMs", () => {
  it('answers a delivery whose listener finishes within the wait but after headersTimeoutMs + bodyTimeoutMs', async () => {
    // The head and body deadlines add up to 400 ms; the listener takes 1 s, within the 3 s wait.
    const receiver = new WebhookReceiver({
      secret: SECRET,
      logger: silentLogger(),
      dispatchWaitMs: 3_000,
      limits: { headersTimeoutMs: 200, bodyTimeoutMs: 200 },
    });
    let finished = false;
    receiver.on('dispatch', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      finished = true;
    });
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    const answer = post(server.url, DELIVERY, signedHeaders(DELIVERY));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = server.close();
    // Reset unanswered, the platform would deliver the event again although its listener finished.
    const { status } = await answer;
    expect(status).toBe(200);
    expect(finished).toBe(true);
    await closed;
  });

  it('still destroys a connection whose head never completes, after its deadlines and the wait', async () => {
    const receiver = new WebhookReceiver({
      secret: SECRET,
      logger: silentLogger(),
      dispatchWaitMs: 300,
      limits: { headersTimeoutMs: 200, bodyTimeoutMs: 200 },
    });
    receiver.on('dispatch', () => {});
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(server.url);
    const { connect } = await import('node:net');
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\n'); // a head that never ends
    socket.on('error', () => {});
    const ended = new Promise((resolve) => socket.once('close', resolve));
    const started = Date.now();
    await server.close();
    await ended;
    // Within the close deadline (200 + 200 + 300 ms) and a check interval or so.
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
