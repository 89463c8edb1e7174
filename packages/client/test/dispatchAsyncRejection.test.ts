import { describe, expect, it } from 'vitest';
import type { BotError, HandlerError } from '@bot/client';
import { ShardLane } from '../src/dispatch/ShardLane.js';
import { memberAdd, sequentialDispatcher } from './support/sequentialDispatcher.js';

/** An `error()` that records what it was given and finishes only when released. */
function heldErrorHandler(order: string[]): {
  error: (error: BotError) => Promise<void>;
  release: () => void;
} {
  let release: () => void = () => undefined;
  return {
    error: (error) =>
      new Promise<void>((resolve) => {
        order.push(
          `error ${(error as HandlerError).handler}: ${((error as HandlerError).cause as Error).message}`,
        );
        release = () => {
          order.push('error done');
          resolve();
        };
      }),
    release: () => release(),
  };
}

describe('a lone async handler that rejects', () => {
  it('is reported to error() with its label, and the next event waits for error() under the sequential policy', async () => {
    const order: string[] = [];
    const held = heldErrorHandler(order);
    const dispatcher = sequentialDispatcher({
      async guildMemberAdd(_ctx, member) {
        order.push(`handled ${member.user?.username ?? '?'}`);
        if (member.user?.username === 'a') throw new Error('late failure');
      },
      error: held.error,
    });
    dispatcher.deliver(2, memberAdd('a'));
    dispatcher.deliver(2, memberAdd('b'));
    await expect.poll(() => order.length).toBe(2);
    expect(order).toEqual(['handled a', 'error handler#0.guildMemberAdd: late failure']);
    held.release();
    await dispatcher.onIdle();
    expect(order).toEqual([
      'handled a',
      'error handler#0.guildMemberAdd: late failure',
      'error done',
      'handled b',
    ]);
  });

  it("settles a broker's dispatch() only once the rejection has been reported, and reports it once", async () => {
    const order: string[] = [];
    const held = heldErrorHandler(order);
    const dispatcher = sequentialDispatcher({
      guildMemberAdd: () => Promise.reject(new Error('broker event failed')),
      error: held.error,
    });
    let settled = false;
    const handled = dispatcher.dispatch(undefined, memberAdd('x')).then(() => (settled = true));
    await expect.poll(() => order.length).toBe(1);
    expect(settled).toBe(false);
    held.release();
    await handled;
    expect(order).toEqual(['error handler#0.guildMemberAdd: broker event failed', 'error done']);
  });
});

describe('ShardLane onRejected', () => {
  type Job = () => Promise<void> | undefined;
  const runJob = (job: Job): Promise<void> | undefined => job();

  it('receives the item and the rejection, and frees the slot once what it returns has settled', async () => {
    const seen: unknown[] = [];
    let release: () => void = () => undefined;
    const failing: Job = () => Promise.reject(new Error('job failed'));
    const lane = new ShardLane<Job>(
      { mode: 'sequential' },
      runJob,
      () => undefined,
      undefined,
      (item, error) => {
        seen.push(item === failing, (error as Error).message);
        return new Promise<void>((resolve) => (release = resolve));
      },
    );
    const ran: string[] = [];
    lane.push(failing);
    lane.push(() => {
      ran.push('next');
      return undefined;
    });
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([true, 'job failed']);
    expect(ran).toEqual([]);
    expect(lane.load).toBe(2);
    release();
    await lane.onIdle();
    expect(ran).toEqual(['next']);
  });

  it('runs an item pushed twice twice, and is idle once both runs have settled', async () => {
    const releases: Array<() => void> = [];
    let runs = 0;
    const job: Job = () => {
      runs += 1;
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    const lane = new ShardLane<Job>({ mode: 'concurrent', limit: 2 }, runJob, () => undefined);
    lane.push(job);
    lane.push(job);
    expect(runs).toBe(2);
    expect(lane.load).toBe(2);
    releases[0]!();
    await expect.poll(() => lane.load).toBe(1);
    releases[1]!();
    await lane.onIdle();
    expect(lane.load).toBe(0);
  });

  it('sends an onRejected that throws or rejects to onThrow, and the lane goes on', async () => {
    const bugs: string[] = [];
    const lane = new ShardLane<Job>(
      { mode: 'concurrent', limit: 2 },
      runJob,
      (error) => bugs.push((error as Error).message),
      undefined,
      (_item, error) => {
        if ((error as Error).message === 'one') throw new Error('reporter threw');
        return Promise.reject(new Error('reporter rejected'));
      },
    );
    lane.push(() => Promise.reject(new Error('one')));
    lane.push(() => Promise.reject(new Error('two')));
    await lane.onIdle();
    expect(bugs.sort()).toEqual(['reporter rejected', 'reporter threw']);
    expect(lane.load).toBe(0);
  });
});
