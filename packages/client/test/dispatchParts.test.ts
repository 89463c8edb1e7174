import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupeWindow } from '../src/dispatch/DedupeWindow.js';
import { FifoQueue } from '../src/dispatch/FifoQueue.js';
import { fingerprint } from '../src/dispatch/fingerprint.js';
import { runInOrder } from '../src/dispatch/runInOrder.js';
import { ShardLane } from '../src/dispatch/ShardLane.js';

describe('DedupeWindow', () => {
  it('drops repeats and remembers at least the last `capacity` ids', () => {
    const window = new DedupeWindow(3);
    expect(['a', 'a', 'b', 'c', 'd'].map((id) => window.check(id))).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(window.check('a')).toBe(true); // three others since: still remembered
    for (const id of ['e', 'f', 'g']) window.check(id);
    expect(window.check('a')).toBe(false); // long forgotten: delivered again
  });

  it('never forgets an id fewer than `capacity` others ago, never invents one, stays bounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 400 }),
        (capacity, stream) => {
          const window = new DedupeWindow(capacity);
          const accepted: string[] = [];
          for (const n of stream) {
            const id = `C2C_MESSAGE_CREATE:${n}`;
            const repeat = window.check(id);
            const recent = accepted.slice(-capacity);
            if (recent.includes(id)) expect(repeat).toBe(true);
            if (!accepted.includes(id)) expect(repeat).toBe(false);
            if (!repeat) accepted.push(id);
            expect(window.size).toBeLessThanOrEqual(2 * capacity);
          }
        },
      ),
    );
  });

  it('tells apart ids that differ in one character anywhere, odd lengths included', () => {
    const window = new DedupeWindow(100_000);
    const base = 'GROUP_AT_MESSAGE_CREATE:9f6e0d5edd9c1d6b543a6a518340b773e4758ede.1';
    const variants = new Set<string>([base, base.slice(0, -1), `${base}x`]);
    for (let index = 0; index < base.length; index++) {
      for (const replacement of ['0', 'z', 'é', '字'])
        variants.add(`${base.slice(0, index)}${replacement}${base.slice(index + 1)}`);
    }
    for (const id of variants) expect(window.check(id)).toBe(false);
    for (const id of variants) expect(window.check(id)).toBe(true);
  });
});

describe('fingerprint', () => {
  /** `count` ids that differ only in the code units at even (or odd) positions 20, 22, 24, … */
  const idsVaryingAt = (parity: 0 | 1, count: number): string[] => {
    const base = 'AT_MESSAGE_CREATE:7f5bbf26ed28277da51acc3580b0a0b349d351b7';
    return Array.from({ length: count }, (_, n) => {
      const chars = [...base];
      for (let digit = 0, rest = n; digit < 6; digit++, rest >>>= 4)
        chars[20 + parity + 2 * digit] = '0123456789abcdef'[rest & 15]!;
      return chars.join('');
    });
  };

  it.each([0, 1] as const)(
    'spreads 200,000 ids that differ only at positions of parity %i over 32 random-looking bits per half',
    (parity) => {
      const highs = new Set<number>();
      const lows = new Set<number>();
      const pairs = new Set<string>();
      const print = { high: 0, low: 0 };
      let empty = 0;
      for (const id of idsVaryingAt(parity, 200_000)) {
        fingerprint(id, print);
        if (print.high === 0 && print.low === 0) empty += 1;
        highs.add(print.high);
        lows.add(print.low);
        pairs.add(`${print.high}:${print.low}`);
      }
      // Random 32-bit values collide about 200,000² / 2^33 ≈ 5 times; a half that lost bits
      // (a multiply without a shift back down) collides tens of thousands of times.
      expect(200_000 - highs.size).toBeLessThan(40);
      expect(200_000 - lows.size).toBeLessThan(40);
      expect(pairs.size).toBe(200_000);
      expect(empty).toBe(0);
    },
  );
});

describe('FifoQueue', () => {
  it('keeps first-in-first-out order across growth and wrap-around', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 300 }), (ops) => {
        const queue = new FifoQueue<number>();
        const model: number[] = [];
        for (const op of ops) {
          if (op === undefined) expect(queue.shift()).toBe(model.shift());
          else {
            queue.push(op);
            model.push(op);
          }
          expect(queue.length).toBe(model.length);
        }
      }),
    );
  });
});

describe('runInOrder', () => {
  it('stays synchronous while steps return plain values', () => {
    const order: number[] = [];
    expect(
      runInOrder(
        3,
        (index) => void order.push(index),
        () => undefined,
      ),
    ).toBeUndefined();
    expect(order).toEqual([0, 1, 2]);
  });

  it('waits for an asynchronous step before the next, and isolates throws and rejections', async () => {
    const order: string[] = [];
    const failures: string[] = [];
    const steps = [
      () => void order.push('0'),
      () => {
        throw new Error('one');
      },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push('2');
      },
      () => Promise.reject(new Error('three')),
      () => void order.push('4'),
    ];
    const done = runInOrder(
      steps.length,
      (index) => steps[index]!(),
      (error, index) => void failures.push(`${index}:${(error as Error).message}`),
    );
    expect(done).toBeInstanceOf(Promise);
    expect(order).toEqual(['0']); // step 2 has not finished, so 3 and 4 have not started
    await done;
    expect(order).toEqual(['0', '2', '4']);
    expect(failures).toEqual(['1:one', '3:three']);
  });
});

/** A lane item that is its own work: the tests below push closures. */
type Job = () => Promise<void> | void;
const runJob = (job: Job): Promise<void> | undefined => job() ?? undefined;

describe('ShardLane', () => {
  it('survives a job that throws and a reporter that throws too, and reports a rejected job', async () => {
    const lane = new ShardLane<Job>({ mode: 'sequential' }, runJob, () => {
      throw new Error('the logger is broken as well');
    });
    lane.push(() => {
      throw new Error('bug');
    });
    const ran: string[] = [];
    lane.push(() => void ran.push('next'));
    expect(ran).toEqual(['next']);
    expect(lane.load).toBe(0);

    const reported: unknown[] = [];
    const reporting = new ShardLane<Job>({ mode: 'sequential' }, runJob, (error) => reported.push(error));
    reporting.push(() => Promise.reject(new Error('late bug')));
    reporting.push(() => void ran.push('after'));
    await reporting.onIdle();
    expect(ran).toEqual(['next', 'after']);
    expect(reported).toEqual([new Error('late bug')]);
  });

  it('runs synchronous jobs at once and reports a job that throws without stalling the lane', async () => {
    const thrown: unknown[] = [];
    const lane = new ShardLane<Job>({ mode: 'sequential' }, runJob, (error) => thrown.push(error));
    const ran: number[] = [];
    lane.push(() => void ran.push(1));
    lane.push(() => {
      throw new Error('bug');
    });
    lane.push(() => void ran.push(3));
    expect(ran).toEqual([1, 3]);
    expect(thrown).toHaveLength(1);
    expect(lane.load).toBe(0);
    await lane.onIdle();
  });

  it('holds later jobs behind a pending one under the sequential policy, in arrival order', async () => {
    const lane = new ShardLane<Job>({ mode: 'sequential' }, runJob, () => undefined);
    const ran: string[] = [];
    let release: () => void = () => undefined;
    lane.push(() => new Promise<void>((resolve) => (release = resolve)).then(() => void ran.push('slow')));
    for (const name of ['a', 'b', 'c']) lane.push(() => void ran.push(name));
    expect(ran).toEqual([]);
    expect(lane.load).toBe(4);
    release();
    await lane.onIdle();
    expect(ran).toEqual(['slow', 'a', 'b', 'c']);
  });

  it('never runs more than `limit` jobs at once under the concurrent policy', async () => {
    const lane = new ShardLane<Job>({ mode: 'concurrent', limit: 3 }, runJob, () => undefined);
    let running = 0;
    let peak = 0;
    for (let index = 0; index < 20; index++) {
      lane.push(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
      });
    }
    await lane.onIdle();
    expect(peak).toBe(3);
    expect(lane.load).toBe(0);
  });
});

describe('ShardLane back-pressure', () => {
  it('pauses its source at the high-water mark and resumes it at the low-water mark, alternating', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }),
        async (limit, highWaterMark, overshoot, steps) => {
          const lowWaterMark = Math.floor(highWaterMark / 2);
          const signals: string[] = [];
          let paused = false;
          const finishers: Array<() => void> = [];
          const lane = new ShardLane<number>(
            { mode: 'concurrent', limit },
            () => new Promise<void>((resolve) => finishers.push(resolve)),
            () => undefined,
            {
              highWaterMark,
              lowWaterMark,
              pause: () => {
                signals.push('pause');
                paused = true;
              },
              resume: () => {
                signals.push('resume');
                paused = false;
              },
            },
          );
          let sentWhilePaused = 0;
          let peak = 0;
          for (const [index, arrives] of steps.entries()) {
            // A paused source still delivers what one read had taken in (`overshoot`), then stops.
            if (arrives && (!paused || sentWhilePaused < overshoot)) {
              if (paused) sentWhilePaused += 1;
              lane.push(index);
            } else {
              finishers.shift()?.();
              await Promise.resolve();
              await Promise.resolve();
            }
            if (!paused) sentWhilePaused = 0;
            peak = Math.max(peak, lane.load);
            expect(lane.paused).toBe(paused);
            if (paused) expect(lane.load).toBeGreaterThan(lowWaterMark);
          }
          expect(peak).toBeLessThanOrEqual(Math.max(highWaterMark + overshoot, limit));
          signals.forEach((signal, index) => expect(signal).toBe(index % 2 === 0 ? 'pause' : 'resume'));
          while (finishers.length > 0) {
            finishers.shift()?.();
            await Promise.resolve();
            await Promise.resolve();
          }
          await lane.onIdle();
          expect(lane.load).toBe(0);
          expect(lane.paused).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('abandons what it holds: running items apart from waiting ones, which never run', async () => {
    const started: number[] = [];
    const lane = new ShardLane<number>(
      { mode: 'concurrent', limit: 2 },
      (item) => {
        started.push(item);
        return new Promise<void>(() => undefined); // never settles
      },
      () => undefined,
    );
    for (const item of [1, 2, 3, 4]) lane.push(item);
    const idle = lane.onIdle();
    expect(lane.abandon()).toEqual({ running: [1, 2], waiting: [3, 4] });
    await idle; // released though the running ones never finish
    expect(lane.load).toBe(0);
    expect(started).toEqual([1, 2]);
    lane.push(5); // the lane goes on taking items
    expect(started).toEqual([1, 2, 5]);
  });

  it('repause() tells a replaced source to stop again only while the lane is paused', () => {
    const signals: string[] = [];
    let finish!: () => void;
    const lane = new ShardLane<number>(
      { mode: 'sequential' },
      () => new Promise<void>((resolve) => (finish = resolve)),
      () => undefined,
      {
        highWaterMark: 2,
        lowWaterMark: 0,
        pause: () => void signals.push('pause'),
        resume: () => void signals.push('resume'),
      },
    );
    lane.repause();
    expect(signals).toEqual([]); // not paused: nothing to repeat
    lane.push(1);
    lane.push(2);
    expect(signals).toEqual(['pause']);
    lane.repause();
    expect(signals).toEqual(['pause', 'pause']);
    finish();
  });
});
