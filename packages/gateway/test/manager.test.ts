import { describe, expect, it } from 'vitest';
import { Intents } from '@bot/core';
import { ValidationError } from '@bot/http';
import { FatalGatewayError, InMemorySessionStore, ShardManager } from '@bot/gateway';
import { allReady, useFakeGatewayManagers } from './support/fakeGatewayManagers.js';
import { advanceUntil, capturingLogger } from './support/harness.js';

const fake = useFakeGatewayManagers();
const { manager } = fake;

describe('ShardManager arguments', () => {
  it.each([
    [
      'startShard(5, 5)',
      (m: ShardManager) => m.startShard(5, 5),
      'id',
      'id must be below total 5 (got 5) in startShard(5, 5): ids run from 0 to 4, so 4 is the last shard of 5 (ids start at 0)',
    ],
    [
      'startShard(-1, 2)',
      (m: ShardManager) => m.startShard(-1, 2),
      'id',
      'id must be an integer ≥ 0 (got -1) in startShard(-1, 2): shard ids run from 0 to 1',
    ],
    [
      'startShard(0.5, 2)',
      (m: ShardManager) => m.startShard(0.5, 2),
      'id',
      'id must be an integer ≥ 0 (got 0.5) in startShard(0.5, 2): shard ids run from 0 to 1',
    ],
    [
      'startShardRange({ from: 3, to: 1 }, 4)',
      (m: ShardManager) => m.startShardRange({ from: 3, to: 1 }, 4),
      'range.from',
      'range.from must not exceed range.to (3 > 1) in startShardRange({ from: 3, to: 1 }, 4): both ends are included, so { from: 1, to: 3 } starts shards 1 to 3',
    ],
    [
      'startShardRange({ from: 2, to: 4 }, 4)',
      (m: ShardManager) => m.startShardRange({ from: 2, to: 4 }, 4),
      'range.to',
      'range.to must be below total 4 (got 4) in startShardRange({ from: 2, to: 4 }, 4): ids run from 0 to 3 and both ends are included, so { from: 2, to: 3 } ends at the last shard',
    ],
    [
      'startShards(0)',
      (m: ShardManager) => m.startShards(0),
      'total',
      'total must be an integer ≥ 1 (got 0) in startShards(0): it is the number of shards the bot runs in all',
    ],
    [
      'startShards(1e9)',
      (m: ShardManager) => m.startShards(1e9),
      'total',
      'total must be at most 10,000 (got 1000000000) in startShards(1000000000): it is the number of shards the bot runs in all, each a connection and a session start',
    ],
    [
      'startShards(NaN)',
      (m: ShardManager) => m.startShards(Number.NaN),
      'total',
      'total must be an integer ≥ 1 (got NaN) in startShards(NaN): it is the number of shards the bot runs in all',
    ],
  ])('refuses %s, quoting the call and naming the argument as written', async (_, call, field, message) => {
    const m = manager();
    const outcome = call(m);
    await expect(outcome).rejects.toBeInstanceOf(ValidationError);
    await expect(outcome).rejects.toMatchObject({ field, message });
    expect(fake.gateway.connections).toHaveLength(0);
  });

  it('refuses more identifies than the session budget has left, quoting the call', async () => {
    fake.info.limit.remaining = 3;
    fake.info.limit.reset_after = 60_000;
    const outcome = manager().startShards(4);
    await expect(outcome).rejects.toThrow(
      'startShards(4) needs 4 session starts but only 3 remain: start at most 3 shards needing an identify now, the rest once the budget resets in 60 s',
    );
    expect(fake.gateway.connections).toHaveLength(0);
  });

  it('counts shards with a stored session as free: they resume', async () => {
    fake.info.limit.remaining = 1;
    const sessionStore = new InMemorySessionStore();
    await sessionStore.set(0, { sessionId: 'kept', seq: 0, shardCount: 2 });
    fake.gateway.sessions.set('kept', { id: 'kept', shard: [0, 2], seq: 0, history: [] });
    const m = manager({ sessionStore });
    const run = m.startShards(2);
    await advanceUntil(allReady(m, 2), 10_000);
    expect(fake.gateway.received(6)).toHaveLength(1);
    expect(fake.gateway.received(2)).toHaveLength(1);
    await m.shutdownAll();
    await run;
  });

  it('refuses shards that already run and a different shard count', async () => {
    const m = manager();
    const run = m.startShardRange({ from: 0, to: 1 }, 4);
    await expect(m.startShard(1, 4)).rejects.toThrow(
      'id names shard 1, which is already running here in startShard(1, 4): call shutdown(1) first, or restart(1) to reconnect it',
    );
    await expect(m.startShardRange({ from: 0, to: 3 }, 4)).rejects.toThrow(
      'range names shard 0, which is already running here in startShardRange({ from: 0, to: 3 }, 4): call shutdown(0) first, or restart(0) to reconnect it',
    );
    await expect(m.startShard(3, 5)).rejects.toThrow(
      'total must be 4, the count of the shards already running (got 5) in startShard(3, 5): one manager runs one shard count; shut the running shards down first to run 5',
    );
    await expect(m.start()).rejects.toThrow(
      'start() would start shard 0, which is already running here: call shutdown(0) first, or restart(0) to reconnect it',
    );
    await advanceUntil(allReady(m, 2), 10_000);
    await m.shutdownAll();
    await run;
  });

  it('a call whose shards cannot be created keeps no ids or shard count claimed', async () => {
    const m = manager({ seqFlushDelayMs: -1 });
    await expect(m.startShards(2)).rejects.toMatchObject({ field: 'seqFlushDelayMs' });
    await expect(m.startShards(3)).rejects.toMatchObject({ field: 'seqFlushDelayMs' });
    expect(m.status()).toHaveLength(0);
    expect(fake.gateway.connections).toHaveLength(0);
  });
});

describe('ShardManager misuse without arguments', () => {
  it('start() twice says the call would start a running shard, and what to do', async () => {
    const m = manager();
    const run = m.start();
    await expect(m.start()).rejects.toThrow(
      'start() would start shard 0, which is already running here: call shutdown(0) first, or restart(0) to reconnect it',
    );
    await advanceUntil(allReady(m, 1), 10_000);
    await m.shutdownAll();
    await run;
  });

  it('start() next to shards of another count says so', async () => {
    const m = manager();
    const run = m.startShard(1, 2);
    await expect(m.start()).rejects.toThrow(
      'start() would run a shard count of 1, but the shards already running use 2: one manager runs one shard count; shut the running shards down first',
    );
    await advanceUntil(allReady(m, 1), 10_000);
    await m.shutdownAll();
    await run;
  });
});

describe('ShardManager start-up log', () => {
  it('startShards says "shard k ready (i/N …)" as each shard becomes ready', async () => {
    fake.info.limit.max_concurrency = 1;
    const { logger, lines } = capturingLogger();
    const m = manager({ logger });
    const run = m.startShards(3);
    await advanceUntil(allReady(m, 3), 20_000);
    expect(lines).toEqual([
      'INFO starting shards 0–2 of 3',
      'INFO shard 0 ready, new session (1/3 of startShards(3))',
      'INFO shard 1 ready, new session (2/3 of startShards(3))',
      'INFO shard 2 ready, new session (3/3 of startShards(3))',
    ]);
    await m.shutdownAll();
    await run;
  });

  it('start() names its one shard: "starting shard 0 of 1"', async () => {
    const { logger, lines } = capturingLogger();
    const m = manager({ logger });
    const run = m.start();
    await advanceUntil(allReady(m, 1), 1_000);
    expect(lines[0]).toBe('INFO starting shard 0 of 1');
    await m.shutdownAll();
    await run;
  });

  it('startShardRange counts the shards of its own call', async () => {
    const { logger, lines } = capturingLogger();
    const m = manager({ logger });
    const run = m.startShardRange({ from: 2, to: 3 }, 4);
    await advanceUntil(allReady(m, 2), 20_000);
    expect(lines.slice(1)).toEqual([
      'INFO shard 2 ready, new session (1/2 of startShardRange({ from: 2, to: 3 }, 4))',
      'INFO shard 3 ready, new session (2/2 of startShardRange({ from: 2, to: 3 }, 4))',
    ]);
    await m.shutdownAll();
    await run;
  });
});

describe('ShardManager lifecycle', () => {
  it('start() runs shard 0 of 1 and resolves once the user shuts it down', async () => {
    const m = manager();
    let settled = false;
    const run = m.start().then(() => (settled = true));
    await advanceUntil(allReady(m, 1), 1_000);
    expect(fake.gateway.received(2)[0]?.d).toMatchObject({ shard: [0, 1] });
    expect(settled).toBe(false);
    await m.shutdownAll();
    await run;
    expect(settled).toBe(true);
  });

  it('takes an Intents set and identifies every shard with its bits', async () => {
    const intents = Intents.of('GUILDS', 'PUBLIC_GUILD_MESSAGES');
    const m = manager({ intents });
    const run = m.startShards(2);
    await advanceUntil(allReady(m, 2), 10_000);
    expect(fake.gateway.received(2).map((frame) => frame.d)).toEqual([
      expect.objectContaining({ intents: intents.bits }),
      expect.objectContaining({ intents: intents.bits }),
    ]);
    await m.shutdownAll();
    await run;
  });

  it('paces 16 shards with max_concurrency 4: four identifies per 5 s window, one per bucket', async () => {
    fake.info.limit = { total: 1_000, remaining: 16, reset_after: 86_400_000, max_concurrency: 4 };
    const m = manager();
    const run = m.startShards(16);
    await advanceUntil(allReady(m, 16), 30_000, 50);

    // Arrival times: the fake clock may move one step while a frame is in flight.
    const lag = 50;
    const identifies = fake.gateway.received(2).map((frame) => ({
      bucket: (frame.d as { shard: [number, number] }).shard[0] % 4,
      at: frame.at,
    }));
    expect(identifies).toHaveLength(16);
    for (const [i, identify] of identifies.entries()) {
      const fifthLater = identifies[i + 4];
      if (fifthLater) expect(fifthLater.at - identify.at).toBeGreaterThanOrEqual(5_000 - lag);
      const nextInBucket = identifies.slice(i + 1).find((later) => later.bucket === identify.bucket);
      if (nextInBucket) expect(nextInBucket.at - identify.at).toBeGreaterThanOrEqual(5_000 - lag);
    }
    const span = (identifies.at(-1)?.at ?? 0) - (identifies[0]?.at ?? 0);
    expect(span).toBeLessThan(4 * 5_000); // four windows, not sixteen
    await m.shutdownAll();
    await run;
  });

  it('forwards every shard event with the shard id, and reports status per shard', async () => {
    const m = manager();
    const dispatches: [string, number][] = [];
    m.on('dispatch', (payload, shardId) => dispatches.push([payload.t, shardId]));
    const run = m.startShards(2);
    await advanceUntil(allReady(m, 2), 10_000);
    fake.gateway.connectionOf(1).dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => dispatches.length === 3, 1_000);

    expect(dispatches).toContainEqual(['AT_MESSAGE_CREATE', 1]);
    expect(m.status()).toEqual([
      expect.objectContaining({ id: 0, state: 'ready', seq: 1, reconnects: 0, lastCloseCode: undefined }),
      expect.objectContaining({
        id: 1,
        state: 'ready',
        seq: 2,
        reconnects: 0,
        sessionId: expect.any(String),
      }),
    ]);
    fake.gateway.connectionOf(0).close(4009);
    await advanceUntil(() => fake.gateway.received(6).length === 1 && allReady(m, 2)(), 5_000);
    expect(m.status()[0]).toMatchObject({ reconnects: 1, lastCloseCode: 4009 });
    await m.shutdownAll();
    await run;
  });

  it('restart(id) reconnects one shard with a resume', async () => {
    const m = manager();
    const run = m.startShards(2);
    await advanceUntil(allReady(m, 2), 10_000);
    m.restart(1);
    await advanceUntil(() => fake.gateway.received(6).length === 1 && allReady(m, 2)(), 5_000);
    expect((fake.gateway.received(6)[0]?.d as { session_id: string }).session_id).toBe(
      m.status()[1]?.sessionId,
    );
    expect(() => m.restart(7)).toThrow(/names no running shard/);
    await m.shutdownAll();
    await run;
  });

  it('startAutosharded() starts the recommended shard count', async () => {
    fake.info.shards = 3;
    fake.info.limit.max_concurrency = 3;
    const m = manager();
    const run = m.startAutosharded();
    await advanceUntil(allReady(m, 3), 10_000);
    expect(m.status().map((status) => status.total)).toEqual([3, 3, 3]);
    await m.shutdownAll();
    await run;
  });

  it('with onFatal "stopAll", a fatal close stops every shard and rejects with the code and shard id', async () => {
    fake.info.limit.max_concurrency = 2;
    const m = manager();
    const run = m.startShards(2);
    const outcome = expect(run).rejects.toMatchObject({ code: 4013, shardId: 1 });
    await advanceUntil(allReady(m, 2), 10_000);
    fake.gateway.connectionOf(1).close(4013);
    await outcome;
    await expect(run).rejects.toBeInstanceOf(FatalGatewayError);
    await advanceUntil(() => m.status().length === 0, 10_000);
  });

  it('with onFatal "keepHealthy", only the failed call rejects and the other shards go on', async () => {
    fake.info.limit.max_concurrency = 2;
    const m = manager({ onFatal: 'keepHealthy' });
    const first = m.startShard(0, 2);
    const second = m.startShard(1, 2);
    const failed = expect(second).rejects.toMatchObject({ code: 4014, shardId: 1 });
    await advanceUntil(allReady(m, 2), 10_000);
    fake.gateway.connectionOf(1).close(4014);
    await failed;
    expect(m.status().map((status) => status.state)).toEqual(['ready', 'fatal']);
    await m.shutdownAll();
    await first;
  });

  it('handoff() returns resumable sessions that another manager resumes without identifying', async () => {
    const sessionStore = new InMemorySessionStore();
    const old = manager({ sessionStore });
    const run = old.startShards(2);
    await advanceUntil(allReady(old, 2), 10_000);
    fake.gateway.connectionOf(0).dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => old.status()[0]?.seq === 2, 1_000);

    const sessions = await old.handoff();
    await run;
    expect(sessions.get(0)).toEqual({ sessionId: expect.any(String), seq: 2, shardCount: 2 });
    expect(sessions.size).toBe(2);

    const successor = manager({ sessionStore });
    const next = successor.startShards(2);
    await advanceUntil(allReady(successor, 2), 10_000);
    expect(fake.gateway.received(2)).toHaveLength(2);
    expect(fake.gateway.received(6).map((frame) => frame.d)).toContainEqual(
      expect.objectContaining({ session_id: sessions.get(0)?.sessionId, seq: 2 }),
    );
    await successor.shutdownAll({ invalidateSessions: true });
    await next;
    expect(await sessionStore.get(0)).toBeUndefined();
  });
});
