import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, signHex, signingKey } from '@bot/testing';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';

/** Posts a signed delivery of `body`, its head now and its body once `bodyAfter` settles. */
function postInTwo(
  url: string,
  secret: string,
  body: Buffer,
  bodyAfter: Promise<unknown>,
): Promise<{ status: number | undefined; retryAfter: string | undefined; text: string }> {
  const stamp = String(Math.floor(Date.now() / 1000));
  const signature = signHex(signingKey(secret), Buffer.concat([Buffer.from(stamp), body]));
  return new Promise((resolve, reject) => {
    const posting = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-signature-timestamp': stamp,
          'x-signature-ed25519': signature,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            retryAfter: response.headers['retry-after'],
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    posting.on('error', reject);
    posting.flushHeaders();
    posting.write(body.subarray(0, 10));
    void bodyAfter.then(() => posting.end(body.subarray(10)));
  });
}

describe('startWebhook and a delivery whose body arrives after shutdown() began', () => {
  it('refuses it as shutting down (503), for the platform to deliver it again, and runs no handler', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    onTestFinished(() => emulator.stop());
    const handled: string[] = [];
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .eventHandler({
        c2cMessageCreate(_ctx, message) {
          handled.push(message.content);
        },
        error(error) {
          errors.push(error);
        },
      });
    const server = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });
    const event = emulator.simulate.c2cMessage({ content: 'late body' });
    const body = Buffer.from(JSON.stringify({ id: event.id, op: 0, t: event.t, d: event.d }));

    let shuttingDown!: Promise<void>;
    let shutdownBegan!: () => void;
    const began = new Promise<void>((resolve) => (shutdownBegan = resolve));
    const answer = postInTwo(server.url, emulator.secret, body, began);
    // The head is in (the server is serving it) before the shutdown begins.
    await new Promise((resolve) => setTimeout(resolve, 100));
    shuttingDown = client.shutdown();
    shutdownBegan();
    const { status, retryAfter, text } = await answer;
    await shuttingDown;

    // As one whose head came after shutdown() began: a 500 would read as a failed handler.
    expect(status).toBe(503);
    expect(retryAfter).toBe('1');
    expect(text).toContain('shutting down');
    expect(handled).toEqual([]);
    // A refusal of the shutdown, not a failure: nothing to report.
    expect(errors).toEqual([]);
  });

  it('refuses a delivery whose head comes after shutdown() as shutting down, not as busy', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    onTestFinished(() => emulator.stop());
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .eventHandler({ c2cMessageCreate() {} });
    const receiver = client.webhookReceiver({ path: '/qq' });
    const server = createServer(receiver.handler);
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/qq`;
    const event = emulator.simulate.c2cMessage({ content: 'after' });
    const body = Buffer.from(JSON.stringify({ id: event.id, op: 0, t: event.t, d: event.d }));

    await client.shutdown();
    const { status, text } = await postInTwo(url, emulator.secret, body, Promise.resolve());
    expect(status).toBe(503);
    expect(text).toContain('shutting down');
  });
});
