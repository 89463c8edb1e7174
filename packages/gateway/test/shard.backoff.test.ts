import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReceivedFrame } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

const fake = useFakeGateway({ heartbeatInterval: 5_000 });
let openedAt: number[];

beforeEach(() => {
  // The top of every jitter range, so each delay is exactly `min(max, base · 2^(n-2))`.
  vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON);
  openedAt = [];
  fake.gateway.on('connection', () => openedAt.push(Date.now()));
});

/** Closes the next `times` connections with `code` as soon as each answered a frame of opcode `op`. */
function closeRightAfter(op: number, code: number, times = Number.POSITIVE_INFINITY): void {
  let left = times;
  const onFrame = (frame: ReceivedFrame): void => {
    if (frame.op !== op || left <= 0) return;
    left--;
    frame.connection.close(code);
  };
  fake.gateway.on('frame', onFrame);
}

/**
 * Milliseconds between consecutive connections, rounded down to 250 ms: each gap is the back-off
 * delay plus the short life of the connection before it (a few clock steps of I/O).
 */
const gaps = (times: number[]) =>
  times.slice(1).map((at, index) => Math.floor((at - (times[index] ?? 0)) / 250) * 250);

describe('Shard back-off across short-lived connections', () => {
  it('slows down, with growing capped delays, against a server that closes right after RESUMED', async () => {
    const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 1_000, maxMs: 8_000 } });
    await shard.start();
    closeRightAfter(6, 4009);
    fake.gateway.last.close(4009);

    const droppedAt = Date.now();
    await advanceUntil(() => openedAt.length === 8, 60_000, 50);
    expect((openedAt[1] ?? 0) - droppedAt).toBeLessThanOrEqual(500); // at once: well under the 1 s base
    expect(gaps(openedAt.slice(1))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(fake.gateway.received(6).length).toBe(7);
    expect(shard.status().attempt).toBe(7);
    await shard.close();
  });

  it('starts the delays over once a connection has stayed ready for stableAfterMs', async () => {
    const { shard } = makeShard(fake.gateway.url, {
      backoff: { baseMs: 1_000, maxMs: 8_000, stableAfterMs: 20_000 },
    });
    await shard.start();
    closeRightAfter(6, 4009, 3);
    fake.gateway.last.close(4009);
    await advanceUntil(() => openedAt.length === 5 && shard.state === 'ready', 60_000, 50);
    expect(shard.status().attempt).toBe(4);

    await advanceBy(19_000, 500);
    expect(shard.status().attempt).toBe(4); // ready, but not yet for stableAfterMs
    // Stable: the next acknowledged beat starts the counter over.
    await advanceUntil(() => shard.status().attempt === 0, 10_000, 250);

    const droppedAt = Date.now();
    fake.gateway.last.close(4009);
    await advanceUntil(() => openedAt.length === 6, 5_000, 50);
    expect((openedAt[5] ?? 0) - droppedAt).toBeLessThanOrEqual(500);
    await shard.close();
  });

  it('does not count a connection as stable because the wall clock stepped forward', async () => {
    const { shard } = makeShard(fake.gateway.url, {
      backoff: { baseMs: 1_000, maxMs: 8_000, stableAfterMs: 20_000 },
    });
    await shard.start();
    closeRightAfter(6, 4009, 3);
    fake.gateway.last.close(4009);
    await advanceUntil(() => openedAt.length === 5 && shard.state === 'ready', 60_000, 50);
    expect(shard.status().attempt).toBe(4);

    vi.setSystemTime(Date.now() + 3_600_000);
    await advanceBy(12_000, 500); // two acknowledged beats, 12 s into the 20 s it must stay ready
    expect(shard.status().attempt).toBe(4);
    await shard.close();
  });

  it('never spends session starts faster than the back-off against a server that closes right after READY', async () => {
    const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 1_000, maxMs: 60_000 } });
    await shard.start();
    closeRightAfter(2, 4007); // invalid seq: identify again
    fake.gateway.last.close(4007);

    await advanceBy(120_000, 250);
    const identifiedAt = fake.gateway.received(2).map((frame) => frame.at);
    // The identify window (5 s) paces the first ones; then the back-off's doubling takes over.
    expect(identifiedAt.length).toBeLessThanOrEqual(9);
    const later = gaps(identifiedAt).slice(-3);
    expect(later[0]).toBeGreaterThanOrEqual(8_000);
    expect(later[1]).toBeGreaterThanOrEqual(16_000);
    expect(later[2]).toBeGreaterThanOrEqual(32_000);
    await shard.close();
  });
});
