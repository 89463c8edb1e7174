import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/http';
import { InMemoryIdentifyQueue, identifyLimitsFrom } from '@bot/gateway';
import { CONFORMANCE_FAKED_CLOCKS, runIdentifyQueueConformance } from '@bot/gateway/testing';

runIdentifyQueueConformance(
  { describe, it, afterEach, vi },
  { create: (limits) => new InMemoryIdentifyQueue(limits) },
  'InMemoryIdentifyQueue conformance',
);

describe('@bot/gateway/testing', () => {
  it('has each conformance case fake the steady clock (performance) with the timers and the wall clock', async () => {
    const configs: unknown[] = [];
    const cases: (() => Promise<void>)[] = [];
    const cleanups: (() => Promise<void> | void)[] = [];
    runIdentifyQueueConformance(
      {
        describe: (_name, body) => body(),
        it: (_name, body) => void cases.push(body),
        afterEach: (body) => void cleanups.push(body),
        vi: {
          useFakeTimers: (...args: unknown[]) => {
            configs.push(args[0]);
            return vi.useFakeTimers({ toFake: [...CONFORMANCE_FAKED_CLOCKS] });
          },
          useRealTimers: () => vi.useRealTimers(),
          advanceTimersByTimeAsync: (ms) => vi.advanceTimersByTimeAsync(ms),
        },
      },
      { create: (limits) => new InMemoryIdentifyQueue(limits) },
    );
    try {
      await cases[0]?.();
    } finally {
      for (const cleanup of cleanups) await cleanup();
    }
    expect(configs).toEqual([
      { toFake: expect.arrayContaining(['setTimeout', 'clearTimeout', 'Date', 'performance']) },
    ]);
  });

  it('is the only entry point of the conformance suite: the main one loads no test cases', async () => {
    const main: Record<string, unknown> = await import('@bot/gateway');
    const testing: Record<string, unknown> = await import('@bot/gateway/testing');
    expect(Object.keys(main)).not.toContain('runIdentifyQueueConformance');
    expect(testing['runIdentifyQueueConformance']).toBe(runIdentifyQueueConformance);
  });
});

describe('InMemoryIdentifyQueue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    [{ maxConcurrency: 0 }, /maxConcurrency must be an integer ≥ 1/],
    [{ remaining: 5, total: 2 }, /remaining must not exceed total/],
    [{ windowMs: 0 }, /windowMs must be a positive number of milliseconds/],
    [{ resetAfterMs: -1 }, /resetAfterMs must be ≥ 0/],
  ])('refuses bad limits %o with a ValidationError naming the field', (bad, message) => {
    const limits = { maxConcurrency: 1, total: 10, remaining: 10, resetAfterMs: 0, ...bad };
    expect(() => new InMemoryIdentifyQueue(limits)).toThrow(ValidationError);
    expect(() => new InMemoryIdentifyQueue(limits)).toThrow(message);
  });

  it('refuses a negative shard id', async () => {
    const queue = new InMemoryIdentifyQueue({ maxConcurrency: 1, total: 1, remaining: 1, resetAfterMs: 0 });
    await expect(queue.wait(-1)).rejects.toThrow(/shardId must be an integer ≥ 0/);
    expect(queue.remaining).toBe(1);
  });

  it('reads /gateway/bot limits and adopts fresh ones, regrouping waiters', async () => {
    vi.useFakeTimers();
    const queue = new InMemoryIdentifyQueue(
      identifyLimitsFrom({ total: 1000, remaining: 3, reset_after: 10_000, max_concurrency: 1 }),
    );
    const order: number[] = [];
    for (const id of [0, 1, 2]) void queue.wait(id).then(() => order.push(id));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0]);
    expect(queue.remaining).toBe(2);

    queue.update(
      identifyLimitsFrom({ total: 1000, remaining: 900, reset_after: 10_000, max_concurrency: 2 }),
    );
    // Both new buckets wait out the window that was running (5 s and the default 500 ms
    // margin), then go together.
    await vi.advanceTimersByTimeAsync(5_499);
    expect(order).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual([0, 1, 2]);
    expect(queue.remaining).toBe(898);
    expect(queue.pending).toBe(0);
  });
});
