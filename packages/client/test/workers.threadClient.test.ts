import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, ValidationError, createLogger } from '@bot/client';
import type { ThreadClientData } from './fixtures/threadClient.js';

const THREAD_CLIENT = new URL('./fixtures/threadClient.ts', import.meta.url);
const stops: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('ClientBuilder.workers(count, { handler }): a client on each worker thread', () => {
  it('handles the events on the threads: models, reply helpers and ctx.shard work there, none on the main thread', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    stops.push(() => emulator.stop());
    const data: ThreadClientData = {
      appId: emulator.appId,
      secret: emulator.secret,
      restUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
    };
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 5))
      .workers(2, { handler: THREAD_CLIENT, handlerData: data });
    const running = client.startShards(2);
    running.catch(() => undefined);
    stops.push(() => client.shutdown({ invalidateSessions: true }));
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready', 'ready']);

    const events = ['one', 'two', 'three'].map((content) => emulator.simulate.groupAtMessage({ content }));
    const sends = await emulator.recorder.waitForCount(
      (record) => record.kind === 'rest' && record.method === 'POST' && record.path.endsWith('/messages'),
      3,
    );
    const bodies = sends.map((record) => (record.kind === 'rest' ? record.body : undefined)) as Array<{
      content: string;
      msg_id: string;
      msg_seq: number;
    }>;
    // Group events reach shard 0 of 2, which runs on thread 0; the handler ran there, not here.
    const here = `(${threadId})`;
    expect(bodies.map((body) => body.msg_id)).toEqual(events.map((event) => event.d.id));
    for (const [index, body] of bodies.entries()) {
      expect(body.content).toMatch(
        new RegExp(`^thread 0 \\(\\d+\\), shard 0 of 2: ${['one', 'two', 'three'][index]}$`),
      );
      expect(body.content).not.toContain(here);
      expect(body.msg_seq).toBe(1);
    }
    expect(sends.every((record) => record.kind === 'rest' && record.status === 200)).toBe(true);
  });

  it('registers no handlers on the main thread: the builder refuses them, and needs none', async () => {
    const builder = () =>
      Client.builder(new Token('102000000', 'secret'), Intents.default()).workers(1, {
        handler: THREAD_CLIENT,
      });
    await expect(builder().eventHandler({}).build()).rejects.toThrow(ValidationError);
    await expect(
      builder()
        .rawEventHandler({ raw: () => undefined })
        .build(),
    ).rejects.toThrow(
      /is registered on the main thread, where no event arrives with workers\(count, \{ handler \}\)/,
    );
    await expect(builder().build()).resolves.toBeInstanceOf(Client);
  });
});
