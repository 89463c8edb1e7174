import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FatalGatewayError, GatewayError, type DispatchPayload, type ShardOptions } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(() => {
  useFakeClock();
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await gateway.close();
});

/** A started shard on a fake gateway, with what it dispatched and reported. */
async function readyShard(
  options: Parameters<typeof FakeGateway.start>[0] = {},
  shardOptions: Partial<ShardOptions> = {},
) {
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000, ...options });
  const { shard } = makeShard(gateway.url, shardOptions);
  const dispatched: DispatchPayload[] = [];
  const errors: Error[] = [];
  shard.on('dispatch', (payload) => dispatched.push(payload));
  shard.on('error', (error) => errors.push(error));
  await shard.start();
  return { shard, dispatched, errors };
}

describe('Frame sanity', () => {
  it.each([
    ['1e400 (Infinity)', '1e400'],
    ['a string', '"7"'],
    ['a negative number', '-3'],
    ['a fraction', '2.5'],
    ['an unsafe integer', '9007199254740993'],
  ])(
    'a dispatch whose s is %s is delivered and reported, and leaves the resume point alone',
    async (_, raw) => {
      const { shard, dispatched, errors } = await readyShard();
      gateway.last.send(`{"op":0,"s":${raw},"t":"ODD_SEQ","id":"odd","d":{}}`);
      gateway.last.send({ op: 0, s: 2, t: 'AT_MESSAGE_CREATE', id: 'm2', d: {} });
      await advanceUntil(() => dispatched.some((payload) => payload.t === 'AT_MESSAGE_CREATE'), 1_000);

      expect(dispatched.map((payload) => payload.t)).toEqual(['READY', 'ODD_SEQ', 'AT_MESSAGE_CREATE']);
      expect(shard.status().seq).toBe(2);
      expect(errors.map((error) => error.message)).toEqual([
        expect.stringMatching(
          /dispatch ODD_SEQ carried an invalid seq \(.+\); delivered, but the resume point stays at 1/,
        ),
      ]);

      gateway.last.close(4009);
      await advanceUntil(() => gateway.received(6).length === 1, 5_000);
      expect(gateway.received(6)[0]?.d).toMatchObject({ seq: 2 });
      await shard.close();
    },
  );

  it.each([
    [[1, 2], 'READY named shard [1, 2], but the shard identified as [0, 1]'],
    ['0,1', 'READY named no readable shard, but the shard identified as [0, 1]'],
  ])('refuses a READY naming shard %j: the shard stops for good with 4010', async (named, detail) => {
    gateway = await FakeGateway.start({ readyShard: named });
    const { shard } = makeShard(gateway.url);
    const dispatched: string[] = [];
    shard.on('dispatch', (payload) => dispatched.push(payload.t));
    const failure = shard.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await advanceUntil(() => shard.state === 'fatal', 5_000);

    const error = await failure;
    expect(error).toBeInstanceOf(FatalGatewayError);
    expect(error).toMatchObject({ code: 4010, shardId: 0 });
    expect((error as Error).message).toContain(detail);
    expect(dispatched).toEqual([]);
    expect(shard.status().sessionId).toBeUndefined();
    await advanceBy(60_000, 1_000);
    expect(gateway.received(2)).toHaveLength(1);
  });

  /** A text frame whose `content` holds 0xC3 0x28: 0xC3 opens a two-byte sequence that 0x28 does not continue. */
  function sendNotUtf8(s: number, id: string): void {
    const [before, after] = [
      `{"op":0,"s":${s},"t":"AT_MESSAGE_CREATE","id":"${id}","d":{"content":"a`,
      'b"}}',
    ];
    gateway.last.socket.send(
      Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28]), Buffer.from(after)]),
      {
        binary: false,
      },
    );
  }

  it('delivers a text frame holding bytes that are not UTF-8 with U+FFFD in their place, on the same connection, and reports it once', async () => {
    const { shard, dispatched, errors } = await readyShard();
    sendNotUtf8(2, 'm2');
    gateway.last.send({ op: 0, s: 3, t: 'AT_MESSAGE_CREATE', id: 'm3', d: { content: 'next' } });
    await advanceUntil(() => dispatched.length === 3, 1_000);

    expect(dispatched.map((payload) => payload.d)).toEqual([
      expect.anything(),
      { content: 'a\uFFFD(b' },
      { content: 'next' },
    ]);
    expect(gateway.connections).toHaveLength(1);
    expect(shard.status()).toMatchObject({ state: 'ready', reconnects: 0, seq: 3 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GatewayError);
    expect(errors[0]?.message).toMatch(
      /^shard 0: frame op 0 seq 2 \(AT_MESSAGE_CREATE\) held bytes that are not UTF-8; delivered with U\+FFFD in their place/,
    );
    await shard.close();
    expect(errors).toHaveLength(1);
  });

  it('reports frames that are not UTF-8 once per connection, and how many there were when it ends', async () => {
    const { shard, dispatched, errors } = await readyShard();
    for (let s = 2; s <= 4; s++) sendNotUtf8(s, `m${s}`);
    await advanceUntil(() => dispatched.length === 4, 1_000);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/frame op 0 seq 2 .*not UTF-8/),
    ]);

    await shard.close();
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/frame op 0 seq 2 .*not UTF-8/),
      expect.stringMatching(/^shard 0: 3 frames on one connection held bytes that are not UTF-8/),
    ]);
  });

  it('delivers a real U+FFFD (bytes EF BF BD) without reporting anything', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.send({ op: 0, s: 2, t: 'AT_MESSAGE_CREATE', id: 'm2', d: { content: 'a\uFFFDb' } });
    await advanceUntil(() => dispatched.length === 2, 1_000);
    expect(dispatched[1]?.d).toEqual({ content: 'a\uFFFDb' });
    await shard.close();
    expect(errors).toEqual([]);
  });

  it('says in a debug line when a close reason held bytes that are not UTF-8, and resumes as for any 4009', async () => {
    const { shard } = await readyShard();
    const debug: string[] = [];
    shard.on('debug', (message) => debug.push(message));
    gateway.last.socket.close(4009, Buffer.from([0x62, 0x61, 0x64, 0xc3, 0x28]));
    await advanceUntil(() => gateway.received(6).length === 1, 5_000);
    expect(debug).toContainEqual(
      expect.stringMatching(/^close 4009: its reason held bytes that are not UTF-8/),
    );
    await shard.close();
  });

  it("takes a READY naming shard [0, 0] (the platform's documented example) as its own: a count of 0 names no shard", async () => {
    const { shard } = await readyShard({ readyShard: [0, 0] });
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('takes a READY that names no shard as its own', async () => {
    const { shard } = await readyShard({ readyShard: undefined });
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('clamps a Hello interval beyond 5 minutes, and reports it', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { shard, errors } = await readyShard({ heartbeatInterval: 1e12 });
    const startedAt = Date.now();
    await advanceBy(500_000, 1_000);
    const beats = gateway.received(1).map((beat) => Math.round((beat.at - startedAt) / 1_000) * 1_000);
    expect(beats).toEqual([150_000, 450_000]);
    expect(errors.map((error) => error.message)).toContain(
      'shard 0: Hello asked for a heartbeat every 1000000000000 ms; beating every 300000 ms instead (accepted: 2000–300000 ms)',
    );
    await shard.close();
  });

  it('raises a Hello interval below what the send budget sustains (2 s at 60 frames a minute), reports it, and stays connected', async () => {
    const { shard, errors } = await readyShard({ heartbeatInterval: 250 });
    await advanceBy(120_000, 250);
    // Every 2 s: 60 beats in two minutes, half the budget, and never one queued long enough to look like a zombie.
    expect(gateway.received(1).length).toBeLessThanOrEqual(61);
    expect(gateway.connections).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      'shard 0: Hello asked for a heartbeat every 250 ms; beating every 2000 ms instead (accepted: 2000–300000 ms)',
    ]);
    await shard.close();
  });

  it('follows a raised send budget: at 600 frames a minute a 250 ms Hello interval is accepted', async () => {
    const { shard, errors } = await readyShard({ heartbeatInterval: 250 }, { sendLimit: { limit: 600 } });
    await advanceBy(10_000, 250);
    expect(gateway.received(1).length).toBeGreaterThanOrEqual(35);
    expect(gateway.connections).toHaveLength(1);
    expect(errors).toEqual([]);
    await shard.close();
  });

  it('never beats faster than every 100 ms, however large the send budget', async () => {
    const { shard, errors } = await readyShard({ heartbeatInterval: 1 }, { sendLimit: { limit: 100_000 } });
    await advanceBy(1_000, 50);
    expect(gateway.received(1).length).toBeLessThanOrEqual(11);
    expect(errors.map((error) => error.message)).toContain(
      'shard 0: Hello asked for a heartbeat every 1 ms; beating every 100 ms instead (accepted: 100–300000 ms)',
    );
    await shard.close();
  });

  it('answers a flood of heartbeat requests with one beat while it is unacknowledged', async () => {
    const { shard } = await readyShard();
    gateway.last.ackHeartbeats = false;
    for (let i = 0; i < 500; i++) gateway.last.send({ op: 1 });
    await advanceBy(1_000, 100);
    expect(gateway.received(1)).toHaveLength(1);
    await shard.close();
  });
});
