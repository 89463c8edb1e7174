import { describe, expect, it } from 'vitest';
import type { DispatchPayload, ShardHandle } from '@bot/gateway';
import type { Emulator, EmulatorRecord, GatewayFrameRecord, SentFrameRecord } from '@bot/testing';
import { emulatorTest, type EmulatorAndManager, type EmulatorOfTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, makeShard, useFakeClock } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const INTERVAL = 41_250;

const greetings = (emulator: Emulator) =>
  emulator.recorder
    .filter(
      (record): record is GatewayFrameRecord =>
        record.kind === 'gateway' && (record.op === 2 || record.op === 6),
    )
    .map((record) => (record.op === 2 ? 'identify' : 'resume'));
const connectionsOpened = (emulator: Emulator) =>
  emulator.recorder.filter((record) => record.kind === 'open');
const beatsAfter = (emulator: Emulator, at: number) =>
  emulator.recorder.filter(
    (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === 1 && record.at > at,
  );
const acksAfter = (emulator: Emulator, at: number) =>
  emulator.recorder.filter(
    (record: EmulatorRecord): record is SentFrameRecord =>
      record.kind === 'sent' && record.payload.op === 11 && record.at > at,
  );
const messages = (received: readonly DispatchPayload[]) =>
  received.filter((payload) => payload.t === 'GROUP_AT_MESSAGE_CREATE');

/** The test's emulator and manager with shard 0 ready, and the dispatches the manager emits from then on. */
interface Booted extends EmulatorAndManager {
  readonly shard: ShardHandle;
  readonly received: DispatchPayload[];
}

async function boot(emulatorOfTest: EmulatorOfTest): Promise<Booted> {
  useFakeClock();
  const { emulator, manager } = await emulatorOfTest.start({
    heartbeatInterval: INTERVAL,
    resumeBufferSize: 1_000,
  });
  manager.start().catch(() => undefined);
  await advanceUntil(() => manager.status()[0]?.state === 'ready', 10_000);
  const shard = manager.shards.get(0);
  if (shard === undefined) throw new Error('shard 0 is not running');
  const received: DispatchPayload[] = [];
  manager.on('dispatch', (payload) => received.push(payload));
  return { emulator, manager, shard, received };
}

describe('Shard pause and resume (back-pressure)', () => {
  emulatorTest(
    'emits no dispatch while paused; after resume every event arrives once, in order',
    async ({ emulatorOfTest }) => {
      const { emulator, shard, received } = await boot(emulatorOfTest);
      shard.pause();
      expect(shard.paused).toBe(true);
      expect(shard.status().paused).toBe(true);
      const published = Array.from({ length: 50 }, (_, index) =>
        emulator.simulate.groupAtMessage({ content: `event ${index}` }),
      );
      await advanceBy(5_000, 250);
      expect(received).toEqual([]);

      shard.resume();
      expect(shard.status().paused).toBe(false);
      await advanceUntil(() => messages(received).length === published.length, 5_000);
      expect(messages(received).map((payload) => payload.id)).toEqual(published.map((event) => event.id));
      const seqs = messages(received).map((payload) => payload.s ?? -1);
      expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
      expect(connectionsOpened(emulator)).toHaveLength(1);
    },
  );

  emulatorTest(
    'keeps beating through a pause of several intervals with the last seq read, and is never taken for a zombie',
    async ({ emulatorOfTest }) => {
      const { emulator, shard, received } = await boot(emulatorOfTest);
      const seqBefore = shard.status().seq;
      const pausedAt = Date.now();
      shard.pause();
      emulator.simulate.groupAtMessage({ content: 'unread' });
      await advanceBy(5 * INTERVAL, 1_000);

      const beats = beatsAfter(emulator, pausedAt);
      expect(beats.length).toBeGreaterThanOrEqual(4);
      expect(beats.every((beat) => beat.d === seqBefore)).toBe(true);
      expect(acksAfter(emulator, pausedAt).length).toBe(beats.length); // the emulator answers; the shard cannot read it
      expect(connectionsOpened(emulator)).toHaveLength(1);
      expect(shard.state).toBe('ready');

      shard.resume();
      await advanceUntil(() => messages(received).length === 1, 5_000);
      const resumedAt = Date.now();
      await advanceUntil(() => beatsAfter(emulator, resumedAt).length === 2, 3 * INTERVAL, 1_000);
      expect(beatsAfter(emulator, resumedAt)[0]?.d).toBe(messages(received)[0]?.s);
      expect(connectionsOpened(emulator)).toHaveLength(1);
    },
  );

  emulatorTest(
    'paused while disconnected: connects only once resumed, then resumes and replays what was never read',
    async ({ emulatorOfTest }) => {
      const { emulator, shard, received } = await boot(emulatorOfTest);
      shard.once('close', () => shard.pause());
      emulator.faults.closeShard(0, 4009);
      await advanceUntil(() => shard.state === 'reconnecting', 1_000, 50);
      const published = [0, 1, 2].map((index) => emulator.simulate.groupAtMessage({ content: `m${index}` }));
      await advanceBy(30_000, 500);
      expect(connectionsOpened(emulator)).toHaveLength(1);
      expect(received).toEqual([]);

      shard.resume();
      await advanceUntil(() => messages(received).length === 3 && shard.state === 'ready', 10_000, 50);
      expect(messages(received).map((payload) => payload.id)).toEqual(published.map((event) => event.id));
      expect(greetings(emulator)).toEqual(['identify', 'resume']);
    },
  );

  emulatorTest('is reachable by shard id through the manager', async ({ emulatorOfTest }) => {
    const { emulator, manager, received } = await boot(emulatorOfTest);
    manager.pause(0);
    expect(manager.status()[0]?.paused).toBe(true);
    const published = emulator.simulate.groupAtMessage({ content: 'later' });
    await advanceBy(2_000, 250);
    expect(received).toEqual([]);
    manager.resume(0);
    await advanceUntil(() => messages(received).length === 1, 5_000);
    expect(messages(received)[0]?.id).toBe(published.id);
    expect(() => manager.pause(7)).toThrow(/names no running shard \(got 7\)/);
  });

  emulatorTest(
    'closes a paused shard with a closing handshake, without waiting out the grace period',
    async ({ emulatorOfTest }) => {
      const { emulator, shard } = await boot(emulatorOfTest);
      shard.pause();
      emulator.simulate.groupAtMessage({ content: 'never read' });
      const startedAt = Date.now();
      let closedAt = 0;
      const closing = shard.close().then(() => {
        closedAt = Date.now();
      });
      await advanceUntil(() => closedAt > 0, 10_000, 100);
      await closing;
      expect(closedAt - startedAt).toBeLessThan(1_000);
      const [closed] = emulator.recorder.filter((record) => record.kind === 'close');
      expect(closed).toMatchObject({ code: 4000, initiator: 'client' });
    },
  );
});

describe('Shard paused before its connection opens', () => {
  const fake = useFakeGateway();

  it('paused as it starts connecting, reads nothing, not even Hello, and runs no Hello timeout until resumed', async () => {
    const { gateway } = fake;
    const { shard } = makeShard(gateway.url, { timeouts: { helloMs: 1_000 } });
    shard.once('state', (state) => state === 'connecting' && shard.pause());
    void shard.start();
    await advanceBy(10_000, 250);
    expect(gateway.connections).toHaveLength(1);
    expect(gateway.received(2)).toHaveLength(0);
    expect(shard.state).toBe('connecting');

    shard.resume();
    await advanceUntil(() => shard.state === 'ready', 5_000);
    expect(gateway.connections).toHaveLength(1);
    expect(gateway.received(2)).toHaveLength(1);

    gateway.options.hello = false;
    shard.pause();
    gateway.last.close(4009);
    await advanceBy(10_000, 250);
    expect(gateway.connections).toHaveLength(1); // the close frame is not read while paused
    shard.resume(); // reads the close, reconnects; this time no Hello comes
    await advanceUntil(() => gateway.connections.length === 3, 10_000, 100);
    await shard.close();
  });
});
