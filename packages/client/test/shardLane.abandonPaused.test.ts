import { describe, expect, it } from 'vitest';
import { createLogger } from '@bot/core';
import type { Context } from '@bot/client';
import { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { ShardLane, type LaneFlow } from '../src/dispatch/ShardLane.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';
import { memberAdd } from './support/sequentialDispatcher.js';

const never = (): Promise<void> => new Promise<void>(() => undefined);

describe('A lane paused by back-pressure and then given up on by a shutdown', () => {
  it('a paused lane given up on resumes its source, and a new source is not paused again', () => {
    const calls: string[] = [];
    const flow: LaneFlow = {
      highWaterMark: 3,
      lowWaterMark: 1,
      pause: () => void calls.push('pause'),
      resume: () => void calls.push('resume'),
    };
    const lane = new ShardLane<number>({ mode: 'sequential' }, never, () => undefined, flow);
    for (const item of [1, 2, 3]) lane.push(item);
    expect(calls).toEqual(['pause']);

    lane.abandon();
    expect({ load: lane.load, paused: lane.paused }).toEqual({ load: 0, paused: false });
    expect(calls).toEqual(['pause', 'resume']);

    // A shard started again on this lane (Dispatcher.shardConnecting) reads from the start.
    lane.repause();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it("a shard whose full lane a shutdown gave up on is no longer held paused by the dispatcher's back-pressure", () => {
    const paused = new Set<number>();
    const dispatcher = new Dispatcher({
      handlers: [{ guildMemberAdd: never }],
      rawHandlers: [],
      policy: { mode: 'sequential' },
      binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
      contextFor: () => ({}) as Context,
      log: createLogger('test', 7),
      flow: {
        highWaterMark: 2,
        lowWaterMark: 1,
        pause: (shardId) => void paused.add(shardId),
        resume: (shardId) => void paused.delete(shardId),
      },
    });
    for (const id of ['a', 'b', 'c']) dispatcher.deliver(0, memberAdd(id));
    expect(dispatcher.isSaturated(0)).toBe(true);
    expect([...paused]).toEqual([0]);

    expect(dispatcher.abandon(100)?.events).toHaveLength(3);
    dispatcher.shardConnecting(0);
    expect(dispatcher.isSaturated(0)).toBe(false);
    expect([...paused]).toEqual([]);
  });
});
