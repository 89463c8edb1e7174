import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@bot/http';
import {
  DEFAULT_IDENTIFY_WINDOW_MS,
  InMemoryIdentifyQueue,
  identifyLimitsFrom,
  type IdentifyLimits,
  type IdentifyQueue,
} from '@bot/gateway';
import { CONFORMANCE_FAKED_CLOCKS, runIdentifyQueueConformance } from '@bot/gateway/testing';

/**
 * A queue of one bucket that keeps only the window rule, reading time through clocks other than
 * the usual ones: it measures windows with `process.hrtime` and hands out each turn from an
 * immediate. Fake timers that leave either real make it fail the conformance cases it keeps.
 */
class HrtimeWindowQueue implements IdentifyQueue {
  readonly #windowMs: number;
  #opensAt = -Infinity;
  #turns: Promise<void> = Promise.resolve();

  public constructor(limits: IdentifyLimits) {
    this.#windowMs = (limits.windowMs ?? DEFAULT_IDENTIFY_WINDOW_MS) + (limits.marginMs ?? 0);
  }

  public wait(): Promise<void> {
    const turn = this.#turns.then(() => this.#nextTurn());
    this.#turns = turn;
    return turn;
  }

  async #nextTurn(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      const now = Number(process.hrtime.bigint()) / 1e6;
      if (now >= this.#opensAt) {
        this.#opensAt = now + this.#windowMs;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.#opensAt - now));
    }
  }
}

runIdentifyQueueConformance(
  { describe, it, afterEach, vi },
  { create: (limits) => new InMemoryIdentifyQueue(limits) },
  'InMemoryIdentifyQueue conformance',
);

describe('@bot/gateway/testing', () => {
  it('fakes every clock a queue may read: a queue timing its windows with hrtime and deferring with setImmediate passes', async () => {
    const configs: unknown[] = [];
    const cases: (() => Promise<void>)[] = [];
    const cleanups: (() => Promise<void> | void)[] = [];
    runIdentifyQueueConformance(
      {
        describe: (_name, body) => body(),
        it: (_name, body) => void cases.push(body),
        afterEach: (body) => void cleanups.push(body),
        // The runner's own fake timers, given exactly what the suite asks for.
        vi: {
          useFakeTimers: (config) => {
            configs.push(config);
            return vi.useFakeTimers(config);
          },
          useRealTimers: () => vi.useRealTimers(),
          advanceTimersByTimeAsync: (ms) => vi.advanceTimersByTimeAsync(ms),
        },
      },
      { create: (limits) => new HrtimeWindowQueue(limits) },
    );
    // The cases such a queue is meant to pass: the first identify at once, one per window.
    for (const run of cases.slice(0, 2)) {
      try {
        await run();
      } finally {
        for (const cleanup of cleanups) await cleanup();
      }
    }
    expect(configs).toEqual([
      { toFake: [...CONFORMANCE_FAKED_CLOCKS] },
      { toFake: [...CONFORMANCE_FAKED_CLOCKS] },
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
