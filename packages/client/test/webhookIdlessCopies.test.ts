import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, signHex, signingKey } from '@bot/testing';
import { Client, Intents, Token, createLogger } from '@bot/client';

/** POSTs `body` signed at `stamp` to `url`; resolves with the answer's status. */
function post(url: string, secret: string, stamp: string, body: Buffer): Promise<number> {
  const signature = signHex(signingKey(secret), Buffer.concat([Buffer.from(stamp), body]));
  return new Promise((resolve, reject) => {
    const posting = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'x-signature-timestamp': stamp,
        'x-signature-ed25519': signature,
      },
    });
    posting.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    posting.on('error', reject);
    posting.end(body);
  });
}

describe('startWebhook and a copy of a delivery without an event id', () => {
  it('runs the handler once for the same signed delivery sent twice, twice for one signed anew', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    onTestFinished(() => emulator.stop());
    const contents: string[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .eventHandler({
        c2cMessageCreate(_ctx, message) {
          contents.push(message.content);
        },
      });
    onTestFinished(() => client.shutdown({ deadlineMs: 0 }));
    const server = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });
    const event = emulator.simulate.c2cMessage({ content: 'no envelope id' });
    // The client's duplicate filter keys on the envelope id, which this delivery lacks.
    const body = Buffer.from(JSON.stringify({ op: 0, t: event.t, d: event.d }));
    const stamp = Math.floor(Date.now() / 1000);

    expect(await post(server.url, emulator.secret, String(stamp), body)).toBe(200);
    expect(await post(server.url, emulator.secret, String(stamp), body)).toBe(200);
    await client.idle();
    expect(contents).toEqual(['no envelope id']);
    // Signed at another second it may be another event alike: handled.
    expect(await post(server.url, emulator.secret, String(stamp - 1), body)).toBe(200);
    await expect.poll(() => contents).toEqual(['no envelope id', 'no envelope id']);
  });
});
