import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, signHex, signingKey } from '@bot/testing';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

interface Posted {
  /** Settles with the answer's status, or `'closed'` when the connection ended without one. */
  answer: Promise<number | 'closed'>;
  /** Hangs up, as a proxy does when its own timeout passes. */
  giveUp: () => void;
}

/** Posts a signed delivery of `body` to `url`. */
function post(url: string, secret: string, body: Buffer): Posted {
  const stamp = String(Math.floor(Date.now() / 1000));
  const signature = signHex(signingKey(secret), Buffer.concat([Buffer.from(stamp), body]));
  const posting = request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      'x-signature-timestamp': stamp,
      'x-signature-ed25519': signature,
    },
  });
  const answer = new Promise<number | 'closed'>((resolve) => {
    posting.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 'closed'));
    });
    posting.on('error', () => resolve('closed'));
  });
  posting.end(body);
  return { answer, giveUp: () => posting.destroy() };
}

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = Symbol('pending');
  const outcome = await Promise.race([
    promise,
    new Promise((resolve) => setTimeout(() => resolve(timeout), ms)),
  ]);
  return outcome === timeout;
}

/** A client with `handler` behind its webhook server on 127.0.0.1, waiting up to 5 s for handlers. */
async function waitingBot(handler: EventHandler): Promise<{ client: Client; deliver: () => Posted }> {
  const emulator = await Emulator.start({ grantedIntents: 'all' });
  onTestFinished(() => emulator.stop());
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .eventHandler(handler);
  onTestFinished(() => client.shutdown({ deadlineMs: 0 }));
  const server = await client.startWebhook({
    port: 0,
    host: '127.0.0.1',
    path: '/qq',
    dispatchWaitMs: 5_000,
  });
  const event = emulator.simulate.c2cMessage({ content: 'once' });
  const body = Buffer.from(JSON.stringify({ id: event.id, op: 0, t: event.t, d: event.d }));
  return { client, deliver: () => post(server.url, emulator.secret, body) };
}

describe('startWebhook dispatchWaitMs and a redelivery of an event still being handled', () => {
  it('answers the copy once the original is handled, not before', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const { deliver } = await waitingBot({
      async c2cMessageCreate() {
        runs += 1;
        await gate;
      },
    });
    onTestFinished(() => release());
    const first = deliver();
    await expect.poll(() => runs).toBe(1);
    // A proxy in front gave up on the answer; the platform sends the event again.
    first.giveUp();
    expect(await first.answer).toBe('closed');
    const copy = deliver();
    // Acknowledged now, the event would be lost if the shutdown then gave up on the original.
    expect(await pendingAfter(copy.answer, 300)).toBe(true);
    release();
    expect(await copy.answer).toBe(200);
    expect(runs).toBe(1);
  });

  it('refuses the copy with 500 when the shutdown gives up on the original', async () => {
    let runs = 0;
    const { client, deliver } = await waitingBot({
      async c2cMessageCreate() {
        runs += 1;
        await new Promise(() => {});
      },
    });
    const first = deliver();
    await expect.poll(() => runs).toBe(1);
    first.giveUp();
    await first.answer;
    const copy = deliver();
    expect(await pendingAfter(copy.answer, 100)).toBe(true);
    await client.shutdown({ deadlineMs: 100 });
    // "Deliver it again": the platform still has the event.
    expect(await copy.answer).toBe(500);
    expect(runs).toBe(1);
  });
});
