import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryIdentifyQueue } from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(async () => {
  useFakeClock();
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await gateway.close();
});

describe('Shard heartbeat', () => {
  it('jitters the first beat, then beats once per interval with the last seq', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const { shard } = makeShard(gateway.url);
    const startedAt = Date.now();
    await shard.start();
    gateway.last.dispatch('AT_MESSAGE_CREATE');

    await advanceUntil(() => gateway.received(1).length === 3, 100_000, 1_000);
    const beats = gateway.received(1);
    expect(beats.map((beat) => beat.at - startedAt)).toEqual([10_000, 50_000, 90_000]);
    expect(beats.map((beat) => beat.d)).toEqual([2, 2, 2]);
    await shard.close();
  });

  it('sends null before any dispatch', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    // No session starts left: the shard waits for its identify turn and only heartbeats.
    const identifyQueue = new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 1,
      remaining: 0,
      resetAfterMs: 3_600_000,
    });
    const { shard } = makeShard(gateway.url, { identifyQueue });
    void shard.start();
    await advanceUntil(() => gateway.received(1).length === 1, 5_000);
    expect(gateway.received(1)[0]?.d).toBeNull();
    expect(gateway.received(2)).toHaveLength(0);
    await shard.close();
  });

  it('reports the latency of acknowledged beats', async () => {
    const { shard } = makeShard(gateway.url);
    const latencies: number[] = [];
    shard.on('heartbeat', (latency) => latencies.push(latency));
    await shard.start();
    await advanceUntil(() => latencies.length === 1, 45_000, 1_000);
    expect(latencies[0]).toBeGreaterThanOrEqual(0);
    expect(shard.status().latency).toBe(latencies[0]);
    await shard.close();
  });

  it('beats at once when the server asks', async () => {
    const { shard } = makeShard(gateway.url);
    await shard.start();
    gateway.last.send({ op: 1 });
    const beat = await gateway.next(1);
    expect(beat.d).toBe(1);
    await shard.close();
  });

  it('treats an unacknowledged beat as a zombie: cuts the socket when the next is due, then resumes', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { shard } = makeShard(gateway.url);
    const startedAt = Date.now();
    await shard.start();
    const zombie = gateway.last;
    zombie.ackHeartbeats = false;
    let cutAt = 0;
    let cutCode = 0;
    zombie.socket.on('close', (code) => {
      cutAt = Date.now() - startedAt;
      cutCode = code;
    });

    await advanceUntil(() => gateway.received(6).length === 1 && shard.state === 'ready', 120_000, 1_000);
    // Beat at 20 s unanswered; the next beat is due at 60 s: that is when the socket is cut.
    expect(cutAt).toBe(60_000);
    expect(cutCode).toBe(1006); // terminated: no close frame
    expect(gateway.received(6)[0]?.d).toMatchObject({ session_id: 'session-1', seq: 1 });
    expect(gateway.received(2)).toHaveLength(1);
    await shard.close();
  });
});
