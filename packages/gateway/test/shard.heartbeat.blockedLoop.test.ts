import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ShardCloseEvent } from '@bot/gateway';
import { AccessTokenProvider, Token } from '@bot/http';
import type { EmulatorRecord, SentFrameRecord } from '@bot/testing';
import { FakeGateway } from './support/FakeGateway.js';
import { emulatorTest } from './support/emulatorTest.js';
import { makeShard, reach, silentLogger } from './support/harness.js';

// Real timers and sockets throughout: what is under test is the order in which Node's event loop
// runs timers and reads sockets, which fake timers do not reproduce. After the loop was blocked
// (a long synchronous handler, a garbage-collection storm), the heartbeat timer that fell due
// meanwhile runs before the acknowledgement waiting in the socket is read.

/** A heartbeat interval short enough for real time, with a send budget that accepts it. */
const INTERVAL = 500;
const SEND_LIMIT = { limit: 600 };

/** A backlog of 640 KB ahead of an acknowledgement: several times what one read of the socket takes in. */
const BACKLOG_FRAMES = 40;
const BACKLOG_FRAME_BYTES = 16_000;

/** Holds the event loop for `ms` of real time, as a long synchronous handler does. */
function blockEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: nothing else in this process runs meanwhile
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isAckSent = (record: EmulatorRecord): record is SentFrameRecord =>
  record.kind === 'sent' && record.payload.op === 11;
const connectionsOpened = (records: readonly EmulatorRecord[]) =>
  records.filter((record) => record.kind === 'open').length;

describe('Heartbeat verdict after a blocked event loop (real time)', () => {
  emulatorTest(
    'does not take an acknowledgement still unread after a block of 1.2 intervals for a zombie, and beats on',
    async ({ emulatorOfTest }) => {
      const emulator = await emulatorOfTest.startEmulator({ heartbeatInterval: INTERVAL });
      const tokens = new AccessTokenProvider(new Token(emulator.appId, emulator.secret), {
        tokenUrl: emulator.tokenUrl,
        logger: silentLogger(),
      });
      const { shard } = makeShard(emulator.gatewayUrl, { tokens, sendLimit: SEND_LIMIT });
      onTestFinished(async () => void (await shard.close()));
      const closes: ShardCloseEvent[] = [];
      shard.on('close', (event) => closes.push(event));
      await shard.start();

      // The next beat is answered at once; the process then blocks before it reads the answer.
      let blockedAt = 0;
      const stopWatching = emulator.recorder.onRecord((record) => {
        if (!isAckSent(record)) return;
        stopWatching();
        blockedAt = performance.now();
        blockEventLoop(INTERVAL * 1.2);
      });
      const latencies: number[] = [];
      shard.on('heartbeat', (latency) => {
        if (blockedAt > 0) latencies.push(latency);
      });

      // Long enough for the verdict, and for the server's own deadline (two intervals without a
      // beat) had the beat due during the block been skipped.
      await sleep(INTERVAL * 4);
      expect(blockedAt).toBeGreaterThan(0);
      expect(closes).toEqual([]);
      expect(connectionsOpened(emulator.recorder.records)).toBe(1);
      expect(shard.state).toBe('ready');
      expect(latencies.length).toBeGreaterThanOrEqual(2);
    },
  );

  describe('a beat the server asked for', () => {
    let gateway: FakeGateway | undefined;
    afterEach(async () => {
      await gateway?.close();
      gateway = undefined;
    });

    it('is not taken for a zombie when the loop blocks 0.65 intervals right after it, its answer unread', async () => {
      gateway = await FakeGateway.start({ heartbeatInterval: INTERVAL });
      const current = gateway;
      const { shard } = makeShard(current.url, { sendLimit: SEND_LIMIT });
      onTestFinished(async () => void (await shard.close()));
      const closes: ShardCloseEvent[] = [];
      shard.on('close', (event) => closes.push(event));
      await shard.start();
      await reach(shard, 'ready');

      // A scheduled beat, then the server asks for one 0.6 intervals later; once that one is
      // answered, the process blocks past the next scheduled tick before reading the answer. A
      // sleep that overshoots (a loaded machine) would let the requested beat land after that
      // tick, and the case would test nothing: it then starts over from the next scheduled beat.
      let scheduledAt = 0;
      for (let attempt = 0; attempt < 5; attempt++) {
        await current.next(1);
        scheduledAt = performance.now();
        await sleep(INTERVAL * 0.6);
        if (performance.now() - scheduledAt < INTERVAL * 0.75) break;
      }
      let requestedAt = 0;
      current.on('frame', (frame: { op: number }) => {
        if (frame.op !== 1 || requestedAt > 0) return;
        requestedAt = performance.now();
        blockEventLoop(INTERVAL * 0.65);
      });
      current.last.send({ op: 1 });

      await sleep(INTERVAL * 3);
      // What the case is about: the requested beat went out before the next scheduled tick fell
      // due, and that tick fell due during the block, so it judged the requested beat.
      const spacing = requestedAt - scheduledAt;
      expect(spacing).toBeGreaterThan(INTERVAL * 0.4);
      expect(spacing).toBeLessThan(INTERVAL * 0.85);
      expect(closes).toEqual([]);
      expect(current.connections).toHaveLength(1);
      expect(shard.state).toBe('ready');
    });
  });

  describe('an acknowledgement behind a backlog of frames', () => {
    let gateway: FakeGateway | undefined;
    afterEach(async () => {
      await gateway?.close();
      gateway = undefined;
    });

    it('is read before the verdict, however many reads of the socket that takes', async () => {
      gateway = await FakeGateway.start({ heartbeatInterval: INTERVAL });
      const current = gateway;
      const { shard } = makeShard(current.url, { sendLimit: SEND_LIMIT });
      onTestFinished(async () => void (await shard.close()));
      const closes: ShardCloseEvent[] = [];
      shard.on('close', (event) => closes.push(event));
      const dispatched: string[] = [];
      shard.on('dispatch', (event: { t: string }) => void dispatched.push(event.t));
      await shard.start();
      await reach(shard, 'ready');

      // The next beat is answered behind many large dispatches (as at startup, when guilds
      // arrive), then the process blocks past the next tick: one read of the socket, one
      // immediate later, takes in only part of the backlog.
      const connection = current.last;
      connection.ackHeartbeats = false;
      const large = { members: 'x'.repeat(BACKLOG_FRAME_BYTES) };
      let backlogSent = false;
      current.on('frame', (frame: { op: number }) => {
        if (frame.op !== 1) return;
        if (!backlogSent) {
          backlogSent = true;
          for (let i = 0; i < BACKLOG_FRAMES; i++) connection.dispatch('GUILD_CREATE', large);
          connection.send({ op: 11 });
          blockEventLoop(INTERVAL * 1.2);
          return;
        }
        connection.send({ op: 11 });
      });

      await sleep(INTERVAL * 4);
      expect(backlogSent).toBe(true);
      expect(closes).toEqual([]);
      expect(dispatched.filter((t) => t === 'GUILD_CREATE')).toHaveLength(BACKLOG_FRAMES);
      expect(current.connections).toHaveLength(1);
      expect(shard.state).toBe('ready');
    });
  });
});
