/**
 * The Redis publisher's back-pressure and the other pause authorities of a shard (a client's
 * dispatch lanes, its shutdown, your code) each hold their own pause: none lifts another's, and
 * shards started while the publisher holds back start paused. A real Redis server behind a link
 * the test stalls stands for an outage.
 */
import { describe, expect, it } from 'vitest';
import { Token } from '@bot/http';
import { workerThreads, type DispatchPayload, type ShardHandle, type ShardManager } from '@bot/gateway';
import { Client, Intents, type EventHandler, type GroupMessage } from '@bot/client';
import type { Emulator } from '@bot/testing';
import { emulatorManager } from '../support/emulator.js';
import { silentLogger } from '../support/harness.js';
import { messagesOnShard } from '../support/emulator.js';
import { publisherEmulator, stallablePublisher } from './support/publishers.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();
const { track } = fixture;
const WAIT = { timeout: 15_000, interval: 20 };
const PUBLISHER_HOLDER = 'Symbol(redis publisher back-pressure)';

/** A client of shard 0 whose handler waits for `gate` before finishing each group message. */
async function gatedClient(emulator: Emulator, gate: Promise<void>, highWaterMark: number) {
  const handled: string[] = [];
  const handler: EventHandler = {
    async groupMessageCreate(_ctx, message: GroupMessage) {
      await gate;
      handled.push(message.cleanContent);
    },
  };
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(silentLogger())
    .dispatchPolicy({ mode: 'sequential' })
    .backpressure({ highWaterMark, lowWaterMark: 1 })
    .eventHandler(handler);
  const errors: Error[] = [];
  client.shardManager.on('error', (error) => errors.push(error));
  let read = 0;
  client.shardManager.on('dispatch', (payload: DispatchPayload) => {
    if (payload.t === 'GROUP_AT_MESSAGE_CREATE') read += 1;
  });
  return { client, handled, errors, read: () => read };
}

function shardZero(manager: ShardManager): ShardHandle {
  const shard = manager.shards.get(0);
  if (shard === undefined) throw new Error('shard 0 is not running');
  return shard;
}

const holders = (shard: ShardHandle | undefined): string[] => (shard?.pausedBy ?? []).map(String);
const unpublished = (errors: Error[]) => errors.filter((error) => error.name === 'UnpublishedEventError');

describe('the publisher and the other pause authorities of a shard', () => {
  it('(a) a client lane draining during a Redis outage does not lift the publisher’s pause: nothing is dropped', async () => {
    const emulator = await publisherEmulator(fixture, 2);
    const { publisher, link, streamed } = await stallablePublisher(fixture, emulator);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { client, handled, errors, read } = await gatedClient(emulator, gate, 3);
    publisher.attach(client.shardManager);
    const running = client.startShards(2);
    running.catch(() => undefined);
    track(() => client.shutdown({ invalidateSessions: true }));
    await expect
      .poll(() => client.shardManager.status().map((s) => s.state), WAIT)
      .toEqual(['ready', 'ready']);

    link.stall();
    // Group messages reach shard 0, whose lane fills at 3 and pauses it with the rest unread.
    const sent = Array.from(
      { length: 40 },
      (_, n) => emulator.simulate.groupAtMessage({ content: `#${n}` }).id,
    );
    await expect.poll(read, WAIT).toBeGreaterThanOrEqual(3);
    // Shard 1's events fill the publisher's backlog past half: it pauses both shards.
    messagesOnShard(emulator, 10, 1, 2);
    await expect.poll(() => publisher.metrics.pausedFor, WAIT).toEqual(['backlog']);
    const shard = shardZero(client.shardManager);

    open(); // the lane drains below its low-water mark and releases its pause
    await expect.poll(() => handled.length === read(), WAIT).toBe(true);
    expect(shard.paused).toBe(true);
    expect(read()).toBeLessThan(sent.length);
    expect(publisher.backlog).toBeLessThan(10);
    expect(unpublished(errors)).toEqual([]);
    expect(holders(shard)).toEqual([PUBLISHER_HOLDER]);

    link.resume();
    await expect.poll(() => handled.length, WAIT).toBe(sent.length);
    await expect.poll(streamed(sent), WAIT).toBe(sent.length);
    expect(handled).toEqual(sent.map((_, n) => `#${n}`));
    await expect.poll(() => shard.paused, WAIT).toBe(false); // both may pause again while it catches up
    expect(unpublished(errors)).toEqual([]);
  });

  it('(b) the backlog falling during Client.shutdown() does not resume what the shutdown paused', async () => {
    const emulator = await publisherEmulator(fixture);
    const { publisher, link } = await stallablePublisher(fixture, emulator);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    track(() => open());
    const { client, read } = await gatedClient(emulator, gate, 100);
    publisher.attach(client.shardManager);
    const running = client.startShards(1);
    running.catch(() => undefined);
    await expect.poll(() => client.shardManager.status()[0]?.state, WAIT).toBe('ready');

    link.stall();
    for (let n = 0; n < 40; n++) emulator.simulate.groupAtMessage({ content: `#${n}` });
    const shard = shardZero(client.shardManager);
    await expect.poll(() => publisher.metrics.pausedFor, WAIT).toEqual(['backlog']);
    const stopping = client.shutdown({ deadlineMs: 30_000 }); // waits for the gated handlers
    const readAtShutdown = read();

    link.resume(); // the backlog drains: the publisher releases its pause
    await expect.poll(() => publisher.metrics.pausedFor, WAIT).toEqual([]);
    await expect.poll(() => publisher.backlog, WAIT).toBe(0);
    expect(shard.paused).toBe(true);
    expect(read()).toBe(readAtShutdown);
    expect(holders(shard)).toEqual(['client shutdown']);

    open();
    await stopping;
    expect(read()).toBe(readAtShutdown);
  });

  it('(c) detaching the publisher releases only its own pause', async () => {
    const emulator = await publisherEmulator(fixture);
    const { publisher, link } = await stallablePublisher(fixture, emulator);
    const manager = emulatorManager(emulator);
    track(() => manager.shutdownAll());
    const detach = publisher.attach(manager);
    void manager.startShards(1).catch(() => undefined);
    await expect.poll(() => manager.status()[0]?.state, WAIT).toBe('ready');
    const shard = shardZero(manager);
    shard.pause('operator');

    link.stall();
    messagesOnShard(emulator, 20);
    shard.resume('operator'); // reads, until the backlog makes the publisher pause it
    await expect.poll(() => publisher.metrics.pausedFor, WAIT).toEqual(['backlog']);
    shard.pause('operator');

    detach();
    expect(shard.paused).toBe(true);
    expect(holders(shard)).toEqual(['operator']);
    link.resume();
  });

  it('(d) a shard started while the publisher holds back starts paused, and reads once the backlog is through', async () => {
    const emulator = await publisherEmulator(fixture);
    const { publisher, link, streamed } = await stallablePublisher(fixture, emulator);
    const manager = emulatorManager(emulator);
    track(() => manager.shutdownAll());
    publisher.attach(manager);
    void manager.startShards(1).catch(() => undefined);
    await expect.poll(() => manager.status()[0]?.state, WAIT).toBe('ready');

    link.stall();
    const sent = messagesOnShard(emulator, 20);
    await expect.poll(() => publisher.metrics.pausedFor, WAIT).toEqual(['backlog']);
    await manager.shutdown(0);
    void manager.startShard(0, 1).catch(() => undefined);
    await expect.poll(() => manager.shards.get(0), WAIT).toBeDefined();
    const replaced = shardZero(manager);
    await expect.poll(() => replaced.paused, WAIT).toBe(true);
    expect(holders(replaced)).toEqual([PUBLISHER_HOLDER]);
    expect(replaced.state).not.toBe('ready');

    link.resume();
    await expect.poll(() => replaced.state, WAIT).toBe('ready');
    expect(replaced.paused).toBe(false);
    await expect.poll(streamed(sent), WAIT).toBe(sent.length);
  });

  it('on worker threads too: a lane’s resume leaves the publisher’s pause in place, and a shard started meanwhile starts paused', async () => {
    const emulator = await publisherEmulator(fixture);
    const { publisher, link, streamed } = await stallablePublisher(fixture, emulator);
    const manager = emulatorManager(emulator, { strategy: workerThreads({ workers: 1 }) });
    track(() => manager.shutdownAll());
    publisher.attach(manager);
    void manager.startShards(1).catch(() => undefined);
    await expect.poll(() => manager.status()[0]?.state, WAIT).toBe('ready');

    link.stall();
    // 8: a thread may read them all before the pause crosses to it; the backlog takes 10.
    const sent = messagesOnShard(emulator, 8);
    await expect.poll(() => publisher.metrics.pausedFor, WAIT).toEqual(['backlog']);
    const shard = shardZero(manager);
    shard.pause('lanes');
    shard.resume('lanes');
    expect(shard.paused).toBe(true);
    expect(shard.status().paused).toBe(true);

    await manager.shutdown(0);
    void manager.startShard(0, 1).catch(() => undefined);
    await expect.poll(() => manager.shards.get(0), WAIT).toBeDefined();
    const replaced = shardZero(manager);
    await expect.poll(() => replaced.paused, WAIT).toBe(true);
    expect(holders(replaced)).toEqual([PUBLISHER_HOLDER]);

    link.resume();
    await expect.poll(() => replaced.state, WAIT).toBe('ready');
    await expect.poll(streamed(sent), WAIT).toBe(sent.length);
    await expect.poll(() => replaced.paused, WAIT).toBe(false);
  });
});
