import { describe, expect, onTestFinished, vi } from 'vitest';
import { RestClient, Token, type RestClientOptions } from '@bot/http';
import { FatalGatewayError, gatewayInfoFromRest, ShardManager, type DispatchPayload } from '@bot/gateway';
import type { Emulator, EmulatorRecord, GatewayFrameRecord } from '@bot/testing';
import { ALL_INTENT_BITS, guildOnShard } from './support/emulator.js';
import { emulatorTest, type EmulatorAndManager, type EmulatorOfTest } from './support/emulatorTest.js';
import { advanceBy, advanceUntil, silentLogger, useFakeClock } from './support/harness.js';

const INTERVAL = 41_250;
/** "At once": well under the shortest deliberate wait (1 s after op 9); the rest is I/O on a stepping clock. */
const AT_ONCE_MS = 500;

const isGreeting = (record: EmulatorRecord): record is GatewayFrameRecord =>
  record.kind === 'gateway' && (record.op === 2 || record.op === 6);
const greetings = (emulator: Emulator) =>
  emulator.recorder.filter(isGreeting).map((record) => (record.op === 2 ? 'identify' : 'resume'));
const connectionsOpened = (emulator: Emulator) =>
  emulator.recorder.filter((record) => record.kind === 'open');

describe('against the emulator (real timers)', () => {
  /**
   * A REST client on the test's emulator and a manager that takes its tokens and /gateway/bot from
   * it, both ended after the test (the manager first, by the fixture; then the client).
   */
  function restManager(
    emulatorOfTest: EmulatorOfTest,
    emulator: Emulator,
    overrides: Partial<RestClientOptions> = {},
  ): ShardManager {
    const logger = silentLogger();
    const rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
      logger,
      ...overrides,
    });
    const manager = new ShardManager({
      intents: ALL_INTENT_BITS,
      tokens: rest.tokens,
      gateway: gatewayInfoFromRest(rest),
      logger,
    });
    emulatorOfTest.adopt(manager);
    onTestFinished(() => rest.destroy());
    return manager;
  }

  emulatorTest(
    'starts through the REST client and token endpoint, receives events and shuts down',
    async ({ emulatorOfTest }) => {
      const emulator = await emulatorOfTest.startEmulator();
      const manager = restManager(emulatorOfTest, emulator);
      const received = new Promise<DispatchPayload>((resolve) =>
        manager.on('dispatch', (payload) => payload.t === 'GROUP_AT_MESSAGE_CREATE' && resolve(payload)),
      );
      const run = manager.start();
      await new Promise<void>((resolve) => manager.on('state', (state) => state === 'ready' && resolve()));

      const published = emulator.simulate.groupAtMessage({ content: 'hello' });
      expect((await received).id).toBe(published.id);
      await manager.shutdownAll();
      await run;
    },
  );

  emulatorTest(
    'refuses to start when /gateway/bot fails, before any connection',
    async ({ emulatorOfTest }) => {
      const emulator = await emulatorOfTest.startEmulator();
      emulator.faults.failRoute('GET /gateway/bot', { status: 500, times: 10 });
      const manager = restManager(emulatorOfTest, emulator, { retries: 0 });
      await expect(manager.start()).rejects.toMatchObject({ kind: 'api', status: 500 });
      expect(connectionsOpened(emulator)).toHaveLength(0);
    },
  );
});

describe('emulator faults (fake clock)', () => {
  const ready = (manager: ShardManager) =>
    manager.status().length > 0 && manager.status().every((status) => status.state === 'ready');

  /** The test's emulator and a manager running on it, every shard ready; `run` is its `start()`. */
  async function boot(emulatorOfTest: EmulatorOfTest): Promise<EmulatorAndManager & { run: Promise<void> }> {
    useFakeClock();
    const { emulator, manager } = await emulatorOfTest.start({ heartbeatInterval: INTERVAL });
    const run = manager.start();
    run.catch(() => undefined);
    await advanceUntil(() => ready(manager), 10_000);
    return { emulator, manager, run };
  }

  /** Fake time from now until the shard is ready on a new connection. */
  async function recoveryTime(
    { emulator, manager }: EmulatorAndManager,
    inflict: () => void,
    limitMs = 120_000,
  ): Promise<number> {
    const before = connectionsOpened(emulator).length;
    const startedAt = Date.now();
    let reconnectedAt = 0;
    inflict();
    await advanceUntil(
      () => {
        if (reconnectedAt === 0 && connectionsOpened(emulator).length > before) reconnectedAt = Date.now();
        return reconnectedAt > 0 && ready(manager);
      },
      limitMs,
      50,
    );
    return reconnectedAt - startedAt;
  }

  emulatorTest('closeShard 4009: resumes at once', async ({ emulatorOfTest }) => {
    const booted = await boot(emulatorOfTest);
    const waited = await recoveryTime(booted, () => booted.emulator.faults.closeShard(0, 4009));
    expect(waited).toBeLessThanOrEqual(AT_ONCE_MS);
    expect(greetings(booted.emulator)).toEqual(['identify', 'resume']);
  });

  emulatorTest(
    'closeShard 4006 (session invalid): identifies, after the identify window',
    async ({ emulatorOfTest }) => {
      const booted = await boot(emulatorOfTest);
      const { emulator } = booted;
      await recoveryTime(booted, () => emulator.faults.closeShard(0, 4006));
      expect(greetings(emulator)).toEqual(['identify', 'identify']);
      const identifies = emulator.recorder.filter((record) => isGreeting(record) && record.op === 2);
      expect((identifies[1]?.at ?? 0) - (identifies[0]?.at ?? 0)).toBeGreaterThanOrEqual(5_000);
      expect(
        emulator.recorder.filter((record) => record.kind === 'close' && record.code === 4008),
      ).toHaveLength(0);
    },
  );

  emulatorTest(
    'closeShard 4014 (intent not permitted): fatal, the start promise rejects',
    async ({ emulatorOfTest }) => {
      const { emulator, run } = await boot(emulatorOfTest);
      emulator.faults.closeShard(0, 4014);
      await expect(run).rejects.toBeInstanceOf(FatalGatewayError);
      await expect(run).rejects.toMatchObject({ code: 4014, shardId: 0 });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(connectionsOpened(emulator)).toHaveLength(1);
    },
  );

  emulatorTest('reconnect (op 7): resumes at once', async ({ emulatorOfTest }) => {
    const booted = await boot(emulatorOfTest);
    const waited = await recoveryTime(booted, () => booted.emulator.faults.reconnect(0));
    expect(waited).toBeLessThanOrEqual(AT_ONCE_MS);
    expect(greetings(booted.emulator)).toEqual(['identify', 'resume']);
  });

  // `for`, not `each`: only `for` hands the test its context, where the fixture is.
  emulatorTest.for([
    [true, 'resume'],
    [false, 'identify'],
  ] as const)(
    'invalidSession(%s) (op 9): waits 1–5 s, then does %s',
    async ([resumable, next], { emulatorOfTest }) => {
      const booted = await boot(emulatorOfTest);
      const waited = await recoveryTime(booted, () => booted.emulator.faults.invalidSession(0, resumable));
      expect(waited).toBeGreaterThanOrEqual(1_000);
      expect(waited).toBeLessThanOrEqual(5_000 + AT_ONCE_MS);
      expect(greetings(booted.emulator)).toEqual(['identify', next]);
    },
  );

  emulatorTest(
    'stopHeartbeatAcks: the zombie is cut when the next beat is due, then resumed',
    async ({ emulatorOfTest }) => {
      const booted = await boot(emulatorOfTest);
      const { emulator } = booted;
      emulator.faults.stopHeartbeatAcks(0);
      await recoveryTime(booted, () => undefined, 3 * INTERVAL);
      const beats = emulator.recorder.filter(
        (record) => record.kind === 'gateway' && record.op === 1 && record.connectionId === 1,
      );
      const [cut] = emulator.recorder.filter((record) => record.kind === 'close');
      expect(beats).toHaveLength(1); // unanswered; the next one is never sent
      expect(cut).toMatchObject({ code: 1006, initiator: 'client' }); // terminated, no close frame
      const sinceBeat = (cut?.at ?? 0) - (beats[0]?.at ?? 0);
      expect(sinceBeat).toBeGreaterThanOrEqual(INTERVAL - AT_ONCE_MS);
      expect(sinceBeat).toBeLessThanOrEqual(INTERVAL + AT_ONCE_MS);
      expect(greetings(emulator)).toEqual(['identify', 'resume']);
    },
  );

  emulatorTest('dropSocket: resumes at once', async ({ emulatorOfTest }) => {
    const booted = await boot(emulatorOfTest);
    const waited = await recoveryTime(booted, () => booted.emulator.faults.dropSocket(0));
    expect(waited).toBeLessThanOrEqual(AT_ONCE_MS);
    expect(greetings(booted.emulator)).toEqual(['identify', 'resume']);
  });

  emulatorTest(
    'slowHello beyond the Hello timeout: gives up on the connection and retries with back-off',
    async ({ emulatorOfTest }) => {
      const { emulator, manager } = await boot(emulatorOfTest);
      emulator.faults.slowHello(25_000);
      emulator.faults.dropSocket(0);
      // The first reconnect waits for Hello 20 s, gives up, and the second attempt waits its back-off.
      await advanceUntil(() => manager.status()[0]?.attempt === 2, 30_000, 250);
      emulator.faults.slowHello(0);
      await advanceUntil(() => ready(manager), 10_000, 250);
      expect(greetings(emulator)).toEqual(['identify', 'resume']);
    },
  );

  emulatorTest(
    'periodicInvalidation (4009 every 5 minutes): resumes each time, never identifies again',
    async ({ emulatorOfTest }) => {
      const { emulator, manager } = await boot(emulatorOfTest);
      const stop = emulator.faults.periodicInvalidation(5 * 60_000);
      const seqs: number[] = [];
      manager.on('dispatch', (payload) => payload.s !== undefined && seqs.push(payload.s));
      for (let round = 0; round < 3; round++) {
        emulator.simulate.groupAtMessage({ content: `before ${round}` });
        await advanceBy(5 * 60_000, 1_000);
        await advanceUntil(() => ready(manager), 10_000, 250);
      }
      stop();
      expect(greetings(emulator)).toEqual(['identify', 'resume', 'resume', 'resume']);
      expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
    },
  );

  emulatorTest(
    'expireTokens: the resume is refused with 4004, the shard refreshes its token and resumes again',
    async ({ emulatorOfTest }) => {
      const booted = await boot(emulatorOfTest);
      const { emulator } = booted;
      emulator.faults.expireTokens();
      await recoveryTime(booted, () => emulator.faults.closeShard(0, 4009));
      expect(greetings(emulator)).toEqual(['identify', 'resume', 'resume']);
      const tokens = emulator.recorder.filter((record) => record.kind === 'token');
      expect(tokens).toHaveLength(2);
    },
  );

  emulatorTest(
    'duplicateNext: both copies pass (distinct seqs, same id) for the client to dedupe by id',
    async ({ emulatorOfTest }) => {
      const { emulator, manager } = await boot(emulatorOfTest);
      const ids: string[] = [];
      manager.on('dispatch', (payload) => payload.t === 'C2C_MESSAGE_CREATE' && ids.push(payload.id ?? ''));
      emulator.faults.duplicateNext(1);
      const published = emulator.simulate.c2cMessage({ content: 'twice' });
      await advanceUntil(() => ids.length === 2, 1_000);
      expect(ids).toEqual([published.id, published.id]);
    },
  );

  emulatorTest('closeAll 4009: every shard resumes', async ({ emulatorOfTest }) => {
    useFakeClock();
    const { emulator, manager } = await emulatorOfTest.start({ sessionStartLimit: { maxConcurrency: 2 } });
    void manager.startShards(2);
    await advanceUntil(() => manager.status().length === 2 && ready(manager), 10_000);
    expect(emulator.faults.closeAll(4009)).toBe(2);
    await advanceUntil(() => greetings(emulator).length === 4 && ready(manager), 5_000, 50);
    expect(greetings(emulator)).toEqual(['identify', 'identify', 'resume', 'resume']);
  });

  emulatorTest(
    'an exhausted session budget refuses the start before connecting',
    async ({ emulatorOfTest }) => {
      useFakeClock();
      const emulator = await emulatorOfTest.startEmulator({ shards: 2 });
      emulator.setSessionsRemaining(1);
      const manager = emulatorOfTest.manager();
      await expect(manager.startShards(2)).rejects.toThrow(
        /startShards\(2\) needs 2 session starts but only 1 remain/,
      );
      expect(connectionsOpened(emulator)).toHaveLength(0);
    },
  );

  emulatorTest('routes guild events to the shard the platform formula names', async ({ emulatorOfTest }) => {
    useFakeClock();
    const { emulator, manager } = await emulatorOfTest.start({ sessionStartLimit: { maxConcurrency: 2 } });
    void manager.startShards(2);
    await advanceUntil(() => manager.status().length === 2 && ready(manager), 10_000);
    const seen: [string, number][] = [];
    manager.on(
      'dispatch',
      (payload, shardId) => payload.t === 'AT_MESSAGE_CREATE' && seen.push([payload.id ?? '', shardId]),
    );
    const event = emulator.simulate.dispatch(
      'AT_MESSAGE_CREATE',
      { content: 'x' },
      { guildId: guildOnShard(1, 2) },
    );
    await advanceUntil(() => seen.length === 1, 1_000);
    expect(seen).toEqual([[event.id, 1]]);
  });
});
