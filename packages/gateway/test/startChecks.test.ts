import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { StartClashError } from '@bot/gateway';
import { startCalls } from '../src/manager/StartCall.js';
import { checkAgainstRunning } from '../src/manager/startChecks.js';

/** What `checkAgainstRunning` threw, or `undefined` when the call may go ahead. */
function clashOf(...args: Parameters<typeof checkAgainstRunning>): unknown {
  try {
    checkAgainstRunning(...args);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('checkAgainstRunning', () => {
  it('throws a StartClashError naming the running shard the call would start again', () => {
    const error = clashOf(startCalls.start(), [0], 1, (id) => id === 0, 1);
    expect(error).toBeInstanceOf(StartClashError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      kind: 'validation',
      field: 'start()',
      call: 'start()',
      clash: { kind: 'shardRunning', shardId: 0 },
      remedy: 'call shutdown(0) first, or restart(0) to reconnect it',
    });
  });

  it('names the running count and the requested one when the counts differ', () => {
    const error = clashOf(startCalls.startShard(3, 5), [3], 5, () => false, 4);
    expect(error).toMatchObject({
      field: 'total',
      call: 'startShard(3, 5)',
      clash: { kind: 'shardCount', running: 4, requested: 5 },
    });
    expect(clashOf(startCalls.start(), [0], 1, () => false, 2)).toMatchObject({
      field: 'start()',
      clash: { kind: 'shardCount', running: 2, requested: 1 },
    });
  });

  it('lets a call through that clashes with nothing', () => {
    expect(clashOf(startCalls.startShards(2), [0, 1], 2, () => false, undefined)).toBeUndefined();
    expect(clashOf(startCalls.startShard(1, 2), [1], 2, (id) => id === 0, 2)).toBeUndefined();
  });

  it('words the same clash with another remedy, keeping the first error as its cause', () => {
    const first = clashOf(startCalls.startShard(3, 5), [3], 5, () => false, 4) as StartClashError;
    const reworded = first.withRemedy('stop the other shards first');
    expect(reworded).toBeInstanceOf(StartClashError);
    expect(reworded.message).toBe(
      'total must be 4, the count of the shards already running (got 5) in startShard(3, 5): stop the other shards first',
    );
    expect(reworded).toMatchObject({ field: 'total', call: first.call, clash: first.clash });
    expect(reworded.cause).toBe(first);
  });
});
