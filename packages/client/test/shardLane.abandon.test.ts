import { describe, expect, it } from 'vitest';
import { Deferred } from '@bot/core';
import { AbandonedEventsError, HandlerError } from '@bot/client';
import { ShardLane } from '../src/dispatch/ShardLane.js';
import { memberAdd, sequentialDispatcher } from './support/sequentialDispatcher.js';

/** An item of the lane: a name, and the promise its run returns (none: it finishes at once). */
interface Item {
  name: string;
  run: Deferred<void> | undefined;
}

const item = (name: string, settles = true): Item => ({
  name,
  run: settles ? new Deferred<void>() : undefined,
});
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Runs a shutdown gave up on (lane and dispatcher)', () => {
  it('does not count a run given up on when it settles later: the policy and the load hold afterwards', async () => {
    const started: string[] = [];
    const lane = new ShardLane<Item>(
      { mode: 'sequential' },
      (next) => {
        started.push(next.name);
        return next.run?.promise;
      },
      () => undefined,
    );
    const a = item('A');
    lane.push(a);
    expect(lane.abandon()).toEqual({ running: [a], waiting: [] });
    expect(lane.load).toBe(0);

    a.run!.resolve();
    await turn();
    lane.push(item('B'));
    lane.push(item('C'));

    expect(started).toEqual(['A', 'B']);
    expect(lane.load).toBe(2);
  });

  it('still hands a rejection of a run given up on to onRejected, once', async () => {
    const rejected: Array<[string, unknown]> = [];
    const lane = new ShardLane<Item>(
      { mode: 'sequential' },
      (next) => next.run?.promise,
      () => undefined,
      undefined,
      (failed, error) => void rejected.push([failed.name, error]),
    );
    const a = item('A');
    lane.push(a);
    lane.abandon();
    const failure = new Error('rejected after the shutdown');
    a.run!.reject(failure);
    await turn();

    expect(rejected).toEqual([['A', failure]]);
    expect(lane.load).toBe(0);
  });

  it("reports the rejection of an event's handler given up on by a shutdown to error()", async () => {
    const errors: unknown[] = [];
    const handled = new Deferred<void>();
    const dispatcher = sequentialDispatcher({
      guildMemberAdd: () => handled.promise,
      error: (error) => void errors.push(error),
    });
    dispatcher.deliver(0, memberAdd('late'));
    expect(dispatcher.abandon(100)?.events.map((event) => event.id)).toEqual(['late']);

    handled.reject(new Error('failed after the shutdown gave up'));
    await expect.poll(() => errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerError);
    expect((errors[0] as HandlerError).cause).toEqual(new Error('failed after the shutdown gave up'));
  });

  it("rejects the dispatch() of a shard's event given up on (READY's path), running or waiting, and lists deliver()'s beside it", async () => {
    const dispatcher = sequentialDispatcher({ guildMemberAdd: () => new Promise<void>(() => undefined) });
    const running = dispatcher.dispatch(0, memberAdd('ready-like'));
    dispatcher.deliver(0, memberAdd('delivered'));
    const waiting = dispatcher.dispatch(0, memberAdd('resumed-like'));
    const error = dispatcher.abandon(100);

    expect(error).toBeInstanceOf(AbandonedEventsError);
    expect(error?.events.map((event) => [event.id, event.shardId, event.started])).toEqual([
      ['ready-like', 0, true],
      ['delivered', 0, false],
      ['resumed-like', 0, false],
    ]);
    await expect(running).rejects.toBe(error);
    await expect(waiting).rejects.toBe(error);
  });
});
