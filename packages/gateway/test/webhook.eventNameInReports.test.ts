/**
 * A signed delivery's `t` and `id` are the platform's text, up to 128 and 512 characters of any
 * kind: reports and log lines naming the event must show them escaped, so a line break or a
 * terminal escape in them cannot end the line and forge another one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookServer } from '@bot/gateway';
import { capturingLogger } from './support/harness.js';
import { post, SECRET, signedHeaders } from './webhookClient.js';

let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FORGED_T = 'AT_MESSAGE_CREATE\n2026-12-07 00:00:00.000\tFATAL\tbot\tforged line \u001b[2J';
const FORGED_ID = 'ev-1\r\n\u001b[31mFAKE';
const FORGED = JSON.stringify({ op: 0, s: 1, t: FORGED_T, id: FORGED_ID, d: {} });

describe('WebhookReceiver, event names from the wire in its reports', () => {
  it('escapes control characters of t and id in the error of a failed listener', async () => {
    const receiver = new WebhookReceiver({
      secret: SECRET,
      logger: capturingLogger().logger,
      dispatchAttempts: 1,
    });
    const errors: Error[] = [];
    receiver.on('error', (error) => errors.push(error));
    receiver.on('dispatch', () => {
      throw new Error('listener failed');
    });
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });

    expect((await post(server.url, FORGED, signedHeaders(FORGED))).status).toBe(200);

    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).not.toMatch(/[\u0000-\u001f]/);
    // Shown quoted and escaped, not dropped: the reader still sees what came.
    expect(errors[0]!.message).toContain(JSON.stringify(FORGED_ID));
    expect(errors[0]!.message).toContain('AT_MESSAGE_CREATE\\n');
  });

  it('logs the failure, without an error listener, as one line with no control character', async () => {
    const { logger, lines } = capturingLogger();
    const receiver = new WebhookReceiver({ secret: SECRET, logger, dispatchAttempts: 1 });
    receiver.on('dispatch', () => {
      throw new Error('listener failed');
    });
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });

    expect((await post(server.url, FORGED, signedHeaders(FORGED))).status).toBe(200);

    expect(lines.filter((line) => line.includes('listener threw'))).toHaveLength(1);
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f]/);
  });

  it('names a plain event as before', async () => {
    const receiver = new WebhookReceiver({
      secret: SECRET,
      logger: capturingLogger().logger,
      dispatchAttempts: 1,
    });
    const errors: Error[] = [];
    receiver.on('error', (error) => errors.push(error));
    receiver.on('dispatch', () => {
      throw new Error('listener failed');
    });
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    const body = JSON.stringify({ op: 0, s: 1, t: 'C2C_MESSAGE_CREATE', id: 'evt-1', d: {} });

    await post(server.url, body, signedHeaders(body));

    expect(errors[0]!.message).toMatch(/^a 'dispatch' listener threw on event C2C_MESSAGE_CREATE evt-1 \(/);
  });
});
