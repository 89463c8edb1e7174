import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, signHex, signingKey } from '@bot/testing';
import { Client, Intents, Token, createLogger } from '@bot/client';

/** Posts a signed delivery of `body`; settles with the status, or `'reset'` without an answer. */
function post(url: string, secret: string, body: Buffer): Promise<number | 'reset'> {
  const stamp = String(Math.floor(Date.now() / 1000));
  const signature = signHex(signingKey(secret), Buffer.concat([Buffer.from(stamp), body]));
  return new Promise((resolve) => {
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
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 'reset'));
      },
    );
    posting.on('error', () => resolve('reset'));
    posting.end(body);
  });
}

describe('startWebhook dispatchWaitMs during shutdown()', () => {
  it('answers a delivery whose handler finishes within the wait, past the head and body deadlines', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    onTestFinished(() => emulator.stop());
    let handled = 0;
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .eventHandler({
        async c2cMessageCreate() {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          handled += 1;
        },
      });
    onTestFinished(() => client.shutdown({ deadlineMs: 0 }));
    const server = await client.startWebhook({
      port: 0,
      host: '127.0.0.1',
      path: '/qq',
      dispatchWaitMs: 3_000,
      limits: { headersTimeoutMs: 200, bodyTimeoutMs: 200, idleTimeoutMs: 100 },
    });
    const event = emulator.simulate.c2cMessage({ content: 'slow' });
    const body = Buffer.from(JSON.stringify({ id: event.id, op: 0, t: event.t, d: event.d }));
    const answer = post(server.url, emulator.secret, body);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.shutdown({ deadlineMs: 5_000 });
    // Reset at 400 ms, the platform would send the event again though its handler finished.
    expect(await answer).toBe(200);
    expect(handled).toBe(1);
  });
});
