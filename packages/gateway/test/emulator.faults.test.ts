import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RestClient, Token, type RestClientOptions } from '@bot/http';
import { FatalGatewayError, gatewayInfoFromRest, ShardManager, type DispatchPayload } from '@bot/gateway';
import type { Emulator, EmulatorRecord, GatewayFrameRecord } from '@bot/testing';
import { emulatorManager, startEmulator, ALL_INTENT_BITS, guildOnShard } from './support/emulator.js';
import { advanceBy, advanceUntil, silentLogger, useFakeClock } from './support/harness.js';

const INTERVAL = 41_250;
/** "At once": well under the shortest deliberate wait (1 s after op 9); the rest is I/O on a stepping clock. */
const AT_ONCE_MS = 500;
let emulator: Emulator;

const isGreeting = (record: EmulatorRecord): record is GatewayFrameRecord =>
  record.kind === 'gateway' && (record.op === 2 || record.op === 6);
const greetings = () =>
  emulator.recorder.filter(isGreeting).map((record) => (record.op === 2 ? 'identify' : 'resume'));
const connectionsOpened = () => emulator.recorder.filter((record) => record.kind === 'open');

describe('against the emulator (real timers)', () => {
  afterEach(async () => {
    await emulator.stop();
  });

  /** A REST client on the emulator and a manager that takes its tokens and /gateway/bot from it. */
  function restManager(overrides: Partial<RestClientOptions> = {}): {
    rest: RestClient;
    manager: ShardManager;
  } {
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
    return { rest, manager };
  }

  it('starts through the REST client and token endpoint, receives events and shuts down', async () => {
    emulator = await startEmulator();
    const { rest, manager } = restManager();
    const received = new Promise<DispatchPayload>((resolve) =>
      manager.on('dispatch', (payload) => payload.t === 'GROUP_AT_MESSAGE_CREATE' && resolve(payload)),
    );
    const run = manager.start();
    await new Promise<void>((resolve) => manager.on('state', (state) => state === 'ready' && resolve()));

    const published = emulator.simulate.groupAtMessage({ content: 'hello' });
    expect((await received).id).toBe(published.id);
    await manager.shutdownAll();
    await run;
    rest.destroy();
  });

  it('refuses to start when /gateway/bot fails, before any connection', async () => {
    emulator = await startEmulator();
    emulator.faults.failRoute('GET /gateway/bot', { status: 500, times: 10 });
    const { rest, manager } = restManager({ retries: 0 });
    await expect(manager.start()).rejects.toMatchObject({ kind: 'api', status: 500 });
    expect(connectionsOpened()).toHaveLength(0);
    rest.destroy();
  });
});

describe('emulator faults (fake clock)', () => {
  let manager: ShardManager;
  let run: Promise<void>;
  const ready = () =>
    manager.status().length > 0 && manager.status().every((status) => status.state === 'ready');

  async function boot(options: Parameters<typeof startEmulator>[0] = {}): Promise<void> {
    useFakeClock();
    emulator = await startEmulator({ heartbeatInterval: INTERVAL, ...options });
    manager = emulatorManager(emulator);
    run = manager.start();
    run.catch(() => undefined);
    await advanceUntil(ready, 10_000);
  }

  /** Fake time from now until the shard is ready on a new connection. */
  async function recoveryTime(inflict: () => void, limitMs = 120_000): Promise<number> {
    const before = connectionsOpened().length;
    const startedAt = Date.now();
    let reconnectedAt = 0;
    inflict();
    await advanceUntil(
      () => {
        if (reconnectedAt === 0 && connectionsOpened().length > before) reconnectedAt = Date.now();
        return reconnectedAt > 0 && ready();
      },
      limitMs,
      50,
    );
    return reconnectedAt - startedAt;
  }

  afterEach(async () => {
    await manager.shutdownAll();
    await emulator.stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('closeShard 4009: resumes at once', async () => {
    await boot();
    const waited = await recoveryTime(() => emulator.faults.closeShard(0, 4009));
    expect(waited).toBeLessThanOrEqual(AT_ONCE_MS);
    expect(greetings()).toEqual(['identify', 'resume']);
  });

  it('closeShard 4006 (session invalid): identifies, after the identify window', async () => {
    await boot();
    await recoveryTime(() => emulator.faults.closeShard(0, 4006));
    expect(greetings()).toEqual(['identify', 'identify']);
    const identifies = emulator.recorder.filter((record) => isGreeting(record) && record.op === 2);
    expect((identifies[1]?.at ?? 0) - (identifies[0]?.at ?? 0)).toBeGreaterThanOrEqual(5_000);
    expect(
      emulator.recorder.filter((record) => record.kind === 'close' && record.code === 4008),
    ).toHaveLength(0);
  });

  it('closeShard 4014 (intent not permitted): fatal, the start promise rejects', async () => {
    await boot();
    emulator.faults.closeShard(0, 4014);
    await expect(run).rejects.toBeInstanceOf(FatalGatewayError);
    await expect(run).rejects.toMatchObject({ code: 4014, shardId: 0 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(connectionsOpened()).toHaveLength(1);
  });

  it('reconnect (op 7): resumes at once', async () => {
    await boot();
    const waited = await recoveryTime(() => emulator.faults.reconnect(0));
    expect(waited).toBeLessThanOrEqual(AT_ONCE_MS);
    expect(greetings()).toEqual(['identify', 'resume']);
  });

  it.each([
    [true, 'resume'],
    [false, 'identify'],
  ] as const)('invalidSession(%s) (op 9): waits 1–5 s, then does %s', async (resumable, next) => {
    await boot();
    const waited = await recoveryTime(() => emulator.faults.invalidSession(0, resumable));
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThanOrEqual(5_000 + AT_ONCE_MS);
    expect(greetings()).toEqual(['identify', next]);
  });

  it('stopHeartbeatAcks: the zombie is cut when the next beat is due, then resumed', async () => {
    await boot();
    emulator.faults.stopHeartbeatAcks(0);
    await recoveryTime(() => undefined, 3 * INTERVAL);
    const beats = emulator.recorder.filter(
      (record) => record.kind === 'gateway' && record.op === 1 && record.connectionId === 1,
    );
    const [cut] = emulator.recorder.filter((record) => record.kind === 'close');
    expect(beats).toHaveLength(1); // unanswered; the next one is never sent
    expect(cut).toMatchObject({ code: 1006, initiator: 'client' }); // terminated, no close frame
    const sinceBeat = (cut?.at ?? 0) - (beats[0]?.at ?? 0);
    expect(sinceBeat).toBeGreaterThanOrEqual(INTERVAL - AT_ONCE_MS);
    expect(sinceBeat).toBeLessThanOrEqual(INTERVAL + AT_ONCE_MS);
    expect(greetings()).toEqual(['identify', 'resume']);
  });

  it('dropSocket: resumes at once', async () => {
    await boot();
    const waited = await recoveryTime(() => emulator.faults.dropSocket(0));
    expect(waited).toBeLessThanOrEqual(AT_ONCE_MS);
    expect(greetings()).toEqual(['identify', 'resume']);
  });

  it('slowHello beyond the Hello timeout: gives up on the connection and retries with back-off', async () => {
    await boot();
    emulator.faults.slowHello(25_000);
    emulator.faults.dropSocket(0);
    // The first reconnect waits for Hello 20 s, gives up, and the second attempt waits its back-off.
    await advanceUntil(() => manager.status()[0]?.attempt === 2, 30_000, 250);
    emulator.faults.slowHello(0);
    await advanceUntil(ready, 10_000, 250);
    expect(greetings()).toEqual(['identify', 'resume']);
  });

  it('periodicInvalidation (4009 every 5 minutes): resumes each time, never identifies again', async () => {
    await boot();
    const stop = emulator.faults.periodicInvalidation(5 * 60_000);
    const seqs: number[] = [];
    manager.on('dispatch', (payload) => payload.s !== undefined && seqs.push(payload.s));
    for (let round = 0; round < 3; round++) {
      emulator.simulate.groupAtMessage({ content: `before ${round}` });
      await advanceBy(5 * 60_000, 1_000);
      await advanceUntil(ready, 10_000, 250);
    }
    stop();
    expect(greetings()).toEqual(['identify', 'resume', 'resume', 'resume']);
    expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
  });

  it('expireTokens: the resume is refused with 4004, the shard refreshes its token and identifies', async () => {
    await boot();
    emulator.faults.expireTokens();
    await recoveryTime(() => emulator.faults.closeShard(0, 4009));
    expect(greetings()).toEqual(['identify', 'resume', 'identify']);
    const tokens = emulator.recorder.filter((record) => record.kind === 'token');
    expect(tokens).toHaveLength(2);
  });

  it('duplicateNext: both copies pass (distinct seqs, same id) for the client to dedupe by id', async () => {
    await boot();
    const ids: string[] = [];
    manager.on('dispatch', (payload) => payload.t === 'C2C_MESSAGE_CREATE' && ids.push(payload.id ?? ''));
    emulator.faults.duplicateNext(1);
    const published = emulator.simulate.c2cMessage({ content: 'twice' });
    await advanceUntil(() => ids.length === 2, 1_000);
    expect(ids).toEqual([published.id, published.id]);
  });

  it('closeAll 4009: every shard resumes', async () => {
    useFakeClock();
    emulator = await startEmulator({ sessionStartLimit: { maxConcurrency: 2 } });
    manager = emulatorManager(emulator);
    run = manager.startShards(2);
    await advanceUntil(() => manager.status().length === 2 && ready(), 10_000);
    expect(emulator.faults.closeAll(4009)).toBe(2);
    await advanceUntil(() => greetings().length === 4 && ready(), 5_000, 50);
    expect(greetings()).toEqual(['identify', 'identify', 'resume', 'resume']);
  });

  it('an exhausted session budget refuses the start before connecting', async () => {
    useFakeClock();
    emulator = await startEmulator({ shards: 2 });
    emulator.setSessionsRemaining(1);
    manager = emulatorManager(emulator);
    await expect(manager.startShards(2)).rejects.toThrow(
      /startShards\(2\) needs 2 session starts but only 1 remain/,
    );
    expect(connectionsOpened()).toHaveLength(0);
  });

  it('routes guild events to the shard the platform formula names', async () => {
    useFakeClock();
    emulator = await startEmulator({ sessionStartLimit: { maxConcurrency: 2 } });
    manager = emulatorManager(emulator);
    run = manager.startShards(2);
    await advanceUntil(() => manager.status().length === 2 && ready(), 10_000);
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
