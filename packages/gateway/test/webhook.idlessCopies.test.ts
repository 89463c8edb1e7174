import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookReceiverOptions, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { nowSeconds, post, SECRET, signedHeaders } from './webhookClient.js';

let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A reaction as the platform might deliver it without an envelope id: nothing in it is unique. */
const REACTION = JSON.stringify({
  op: 0,
  t: 'MESSAGE_REACTION_ADD',
  d: {
    user_id: 'u1',
    guild_id: 'g1',
    channel_id: 'c1',
    target: { id: 'm1', type: 0 },
    emoji: { id: '4', type: 1 },
  },
});

/** A receiver behind its own server, the events it emits and its debug lines collected. */
async function served(options: Partial<WebhookReceiverOptions> = {}) {
  const receiver = new WebhookReceiver({ secret: SECRET, logger: silentLogger(), ...options });
  const emitted: string[] = [];
  const debug: string[] = [];
  receiver.on('debug', (message) => debug.push(message));
  receiver.on('error', () => undefined);
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  const url = server.url;
  const send = (body: string, headers: Record<string, string>) => post(url, body, headers);
  return { receiver, emitted, debug, send };
}

describe('WebhookReceiver and a copy of a delivery without an event id', () => {
  it('acknowledges a copy of an acknowledged delivery, same signature, without emitting it again', async () => {
    const { receiver, emitted, debug, send } = await served();
    receiver.on('dispatch', (payload) => void emitted.push(payload.t));
    const headers = signedHeaders(REACTION);

    const first = await send(REACTION, headers);
    const copy = await send(REACTION, headers);
    expect([first.status, copy.status]).toEqual([200, 200]);
    expect(JSON.parse(copy.body)).toEqual({ op: 12, d: 0 });
    expect(emitted).toEqual(['MESSAGE_REACTION_ADD']);
    expect(debug).toContain(
      `acknowledged a copy of event MESSAGE_REACTION_ADD (no id) signed at ${headers['X-Signature-Timestamp']} without emitting it: the same signed delivery was acknowledged already`,
    );
  });

  it('emits the same body signed at another second: it may be another event just alike', async () => {
    const { receiver, emitted, send } = await served();
    receiver.on('dispatch', (payload) => void emitted.push(payload.t));
    const stamp = Number(nowSeconds());

    expect((await send(REACTION, signedHeaders(REACTION, String(stamp)))).status).toBe(200);
    expect((await send(REACTION, signedHeaders(REACTION, String(stamp - 1)))).status).toBe(200);
    expect(emitted).toEqual(['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_ADD']);
  });

  it("emits a copy of a delivery with an id: repeats by id are the listener's to drop", async () => {
    const { receiver, emitted, send } = await served();
    receiver.on('dispatch', (payload) => void emitted.push(payload.id ?? ''));
    const body = JSON.stringify({ ...JSON.parse(REACTION), id: 'MESSAGE_REACTION_ADD:1' });
    const headers = signedHeaders(body);

    await send(body, headers);
    await send(body, headers);
    expect(emitted).toEqual(['MESSAGE_REACTION_ADD:1', 'MESSAGE_REACTION_ADD:1']);
  });

  it('emits a copy of a delivery its listener failed on, and drops copies once one is acknowledged', async () => {
    const { receiver, emitted, send } = await served();
    receiver.on('dispatch', (payload) => {
      emitted.push(payload.t);
      if (emitted.length === 1) throw new Error('store down');
    });
    const headers = signedHeaders(REACTION);

    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(REACTION, headers)).status);
    expect(statuses).toEqual([500, 200, 200]);
    expect(emitted).toHaveLength(2);
  });

  it('emits a copy that arrives while the delivery waits for its listener, not yet acknowledged', async () => {
    const { receiver, emitted, send } = await served({ dispatchWaitMs: 5_000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    receiver.on('dispatch', (payload) => {
      emitted.push(payload.t);
      return gate;
    });
    const headers = signedHeaders(REACTION);

    const first = send(REACTION, headers);
    while (emitted.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const copy = send(REACTION, headers);
    while (emitted.length === 1) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect([(await first).status, (await copy).status]).toEqual([200, 200]);
    // Both acknowledged now: a third copy is dropped.
    expect((await send(REACTION, headers)).status).toBe(200);
    expect(emitted).toHaveLength(2);
  });
});
