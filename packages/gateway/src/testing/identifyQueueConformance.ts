import assert from 'node:assert/strict';
import type { IdentifyLimits, IdentifyQueue } from '../identify/IdentifyQueue.js';

/**
 * What the conformance suite asks the runner's fake timers to fake: the timers and immediates,
 * the wall clock (`Date`) and the steady clocks (`performance`, whose `now()` times every window
 * and reset, and `process.hrtime`). A queue may read time or defer work through any of them; one
 * left real would see no window pass, or hand out a turn only after the case has looked.
 */
export const CONFORMANCE_FAKED_CLOCKS = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'Date',
  'performance',
  'hrtime',
] as const;

/**
 * The parts of a test runner the conformance suite uses. vitest's `describe`, `it`, `afterEach`
 * and `vi` fit as they are; the suite asserts with `node:assert`, so it needs no `expect`.
 *
 * Each case starts with `vi.useFakeTimers({ toFake: CONFORMANCE_FAKED_CLOCKS })`. A runner of its
 * own must fake at least those: with `performance.now()` left real, a queue counting its windows
 * on the steady clock would never see one pass, and the suite would fail it.
 */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
  afterEach(body: () => Promise<void> | void): void;
  vi: {
    useFakeTimers(config?: { toFake: (typeof CONFORMANCE_FAKED_CLOCKS)[number][] }): unknown;
    useRealTimers(): unknown;
    advanceTimersByTimeAsync(ms: number): Promise<unknown>;
  };
}

/** Creates a fresh queue for one test, and optionally tears it down afterwards. */
export interface IdentifyQueueFactory {
  /**
   * Called with fake timers active; the queue must read time only through what they fake
   * ({@link CONFORMANCE_FAKED_CLOCKS}): timers and immediates, `performance.now()` and
   * `process.hrtime` (steady clocks) and `Date.now()`.
   */
  create(limits: IdentifyLimits): IdentifyQueue | Promise<IdentifyQueue>;
  /** Releases what `create` made (connections, keys). */
  destroy?(queue: IdentifyQueue): Promise<void> | void;
}

interface Tracked {
  shardId: number;
  grantedAt: number | undefined;
  error: unknown;
}

function track(queue: IdentifyQueue, shardId: number, signal?: AbortSignal): Tracked {
  const entry: Tracked = { shardId, grantedAt: undefined, error: undefined };
  queue.wait(shardId, signal).then(
    () => (entry.grantedAt = Date.now()),
    (error: unknown) => (entry.error = error),
  );
  return entry;
}

const granted = (entries: Tracked[]): number[] =>
  entries.filter((entry) => entry.grantedAt !== undefined).map((entry) => entry.shardId);

/**
 * Declares the behaviour every {@link IdentifyQueue} must show, as test cases of the given runner:
 *
 * ```ts
 * import { afterEach, describe, it, vi } from 'vitest';
 * import { runIdentifyQueueConformance } from '@bot/gateway/testing';
 *
 * runIdentifyQueueConformance({ describe, it, afterEach, vi }, { create: (limits) => new RedisIdentifyQueue(redis, limits) });
 * ```
 *
 * @param runner - the test runner's functions
 * @param factory - makes the queue under test
 * @param name - suite title
 */
export function runIdentifyQueueConformance(
  runner: ConformanceRunner,
  factory: IdentifyQueueFactory,
  name = 'IdentifyQueue conformance',
): void {
  const { describe, it, afterEach, vi } = runner;
  const made: IdentifyQueue[] = [];
  const window = 5_000;
  const day = 86_400_000;

  async function queueWith(limits: Partial<IdentifyLimits> = {}): Promise<IdentifyQueue> {
    vi.useFakeTimers({ toFake: [...CONFORMANCE_FAKED_CLOCKS] });
    const queue = await factory.create({
      maxConcurrency: 1,
      total: 1_000,
      remaining: 1_000,
      resetAfterMs: day,
      windowMs: window,
      marginMs: 0,
      ...limits,
    });
    made.push(queue);
    return queue;
  }

  const flush = (ms = 0): Promise<unknown> => vi.advanceTimersByTimeAsync(ms);

  describe(name, () => {
    afterEach(async () => {
      for (const queue of made.splice(0)) await factory.destroy?.(queue);
      vi.useRealTimers();
    });

    it('lets the first shard of a bucket identify at once', async () => {
      const queue = await queueWith();
      const first = track(queue, 0);
      await flush();
      assert.equal(first.grantedAt !== undefined, true, 'first identify should not wait');
    });

    it('allows one identify per bucket per window', async () => {
      const queue = await queueWith({ maxConcurrency: 1 });
      const entries = [0, 1, 2].map((id) => track(queue, id));
      await flush();
      assert.deepEqual(granted(entries), [0]);
      await flush(window - 1);
      assert.deepEqual(granted(entries), [0], 'second identify came before the window ended');
      await flush(1);
      assert.deepEqual(granted(entries), [0, 1]);
      await flush(window);
      assert.deepEqual(granted(entries), [0, 1, 2]);
    });

    it('runs buckets shard_id % max_concurrency side by side', async () => {
      const queue = await queueWith({ maxConcurrency: 4 });
      const entries = Array.from({ length: 16 }, (_, id) => track(queue, id));
      for (let round = 0; round < 4; round++) {
        await flush(round === 0 ? 0 : window);
        assert.deepEqual(
          granted(entries).sort((a, b) => a - b),
          Array.from({ length: 4 * (round + 1) }, (_, id) => id),
          `round ${round}: expected shards 0..${4 * (round + 1) - 1}`,
        );
      }
    });

    it('serves a bucket first come, first served', async () => {
      const queue = await queueWith({ maxConcurrency: 2 });
      const order: number[] = [];
      for (const id of [4, 0, 2, 6]) void queue.wait(id).then(() => order.push(id));
      await flush(4 * window);
      assert.deepEqual(order, [4, 0, 2, 6]);
    });

    it('never exceeds the remaining budget, and waits for the reset instead', async () => {
      const queue = await queueWith({ maxConcurrency: 4, total: 10, remaining: 2, resetAfterMs: 60_000 });
      const entries = [0, 1, 2, 3].map((id) => track(queue, id));
      await flush(59_999);
      assert.deepEqual(granted(entries).sort(), [0, 1], 'identified beyond the budget');
      await flush(1);
      assert.deepEqual(granted(entries).sort(), [0, 1, 2, 3]);
    });

    it('starts a new budget period after each reset', async () => {
      const queue = await queueWith({
        maxConcurrency: 4,
        total: 1,
        remaining: 1,
        resetAfterMs: 1_000,
        periodMs: day,
      });
      const first = track(queue, 0);
      const second = track(queue, 1);
      const third = track(queue, 2);
      await flush(1_000);
      assert.notEqual(first.grantedAt, undefined);
      assert.notEqual(second.grantedAt, undefined, 'budget did not reset after resetAfterMs');
      await flush(day - 1); // the next period starts one day after the first reset
      assert.equal(third.grantedAt, undefined, 'budget reset before its period ended');
      await flush(1);
      assert.notEqual(third.grantedAt, undefined);
    });

    it('rejects an aborted wait with the signal reason and gives its turn to the next shard', async () => {
      const queue = await queueWith({ maxConcurrency: 1, total: 10, remaining: 2 });
      const first = track(queue, 0);
      const controller = new AbortController();
      const aborted = track(queue, 1, controller.signal);
      const third = track(queue, 2);
      await flush();
      const reason = new Error('shard closed');
      controller.abort(reason);
      await flush(window);
      assert.notEqual(first.grantedAt, undefined);
      assert.equal(aborted.error, reason);
      assert.equal(aborted.grantedAt, undefined);
      assert.notEqual(third.grantedAt, undefined, 'the aborted wait used the turn or the budget');
    });

    it('keeps the safety margin on top of the window', async () => {
      const queue = await queueWith({ maxConcurrency: 1, marginMs: 300 });
      const entries = [0, 1].map((id) => track(queue, id));
      await flush(window + 299);
      assert.deepEqual(granted(entries), [0], 'second identify came inside window + margin');
      await flush(1);
      assert.deepEqual(granted(entries), [0, 1]);
    });

    it('measures the window from the Identify frame when told it was sent', async () => {
      const queue = await queueWith({ maxConcurrency: 1, marginMs: 100 });
      if (queue.identifySent === undefined) return; // optional: the window counts from the turn
      const entries = [0, 1].map((id) => track(queue, id));
      await flush(700); // the frame leaves 700 ms after the turn (a slow token fetch)
      queue.identifySent(0);
      await flush(window + 99);
      assert.deepEqual(granted(entries), [0], 'second identify came inside the window of the frame');
      await flush(1);
      assert.deepEqual(granted(entries), [0, 1]);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const queue = await queueWith();
      const reason = new Error('gone');
      const entry = track(queue, 0, AbortSignal.abort(reason));
      await flush();
      assert.equal(entry.error, reason);
    });
  });
}
