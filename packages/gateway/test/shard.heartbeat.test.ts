import { describe, expect, it, vi } from 'vitest';
import { InMemoryIdentifyQueue } from '@bot/gateway';
import { advanceUntil, makeShard, settleIo } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 40_000 });

describe('Shard heartbeat', () => {
  it('jitters the first beat, then beats once per interval with the last seq', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const { shard } = makeShard(fake.gateway.url);
    const startedAt = Date.now();
    await shard.start();
    fake.gateway.last.dispatch('AT_MESSAGE_CREATE');

    await advanceUntil(() => fake.gateway.received(1).length === 3, 100_000, 1_000);
    const beats = fake.gateway.received(1);
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
    const { shard } = makeShard(fake.gateway.url, { identifyQueue });
    void shard.start();
    await advanceUntil(() => fake.gateway.received(1).length === 1, 5_000);
    expect(fake.gateway.received(1)[0]?.d).toBeNull();
    expect(fake.gateway.received(2)).toHaveLength(0);
    await shard.close();
  });

  it('reports the latency of acknowledged beats', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const latencies: number[] = [];
    shard.on('heartbeat', (latency) => latencies.push(latency));
    await shard.start();
    await advanceUntil(() => latencies.length === 1, 45_000, 1_000);
    expect(latencies[0]).toBeGreaterThanOrEqual(0);
    expect(shard.status().latency).toBe(latencies[0]);
    await shard.close();
  });

  it('reports the latency in whole milliseconds, in the event and in status()', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const { shard } = makeShard(fake.gateway.url);
    const latencies: number[] = [];
    shard.on('heartbeat', (latency) => latencies.push(latency));
    await shard.start();
    fake.gateway.last.ackHeartbeats = false;
    await advanceUntil(() => fake.gateway.received(1).length === 1, 20_000, 1_000);

    await vi.advanceTimersByTimeAsync(12.3); // a round trip that is not a whole number of ms
    fake.gateway.last.send({ op: 11 });
    for (let turn = 0; turn < 20 && latencies.length === 0; turn++) await settleIo();
    expect(latencies).toEqual([12]);
    expect(shard.status().latency).toBe(12);
    await shard.close();
  });

  it('beats at once when the server asks', async () => {
    const { shard } = makeShard(fake.gateway.url);
    await shard.start();
    fake.gateway.last.send({ op: 1 });
    const beat = await fake.gateway.next(1);
    expect(beat.d).toBe(1);
    await shard.close();
  });

  it('treats an unacknowledged beat as a zombie: cuts the socket when the next is due, then resumes', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { shard } = makeShard(fake.gateway.url);
    const startedAt = Date.now();
    await shard.start();
    const zombie = fake.gateway.last;
    zombie.ackHeartbeats = false;
    let cutAt = 0;
    let cutCode = 0;
    zombie.socket.on('close', (code) => {
      cutAt = Date.now() - startedAt;
      cutCode = code;
    });

    await advanceUntil(
      () => fake.gateway.received(6).length === 1 && shard.state === 'ready',
      120_000,
      1_000,
    );
    // Beat at 20 s unanswered; the next beat is due at 60 s: that is when the socket is cut.
    expect(cutAt).toBe(60_000);
    expect(cutCode).toBe(1006); // terminated: no close frame
    expect(fake.gateway.received(6)[0]?.d).toMatchObject({ session_id: 'session-1', seq: 1 });
    expect(fake.gateway.received(2)).toHaveLength(1);
    await shard.close();
  });
});
