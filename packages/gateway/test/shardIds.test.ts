import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { shardIdsInRange, type ShardRange } from '@bot/gateway';

describe('shardIdsInRange', () => {
  it('lists the ids of an inclusive range', () => {
    expect(shardIdsInRange({ from: 4, to: 7 }, 8)).toEqual([4, 5, 6, 7]);
  });

  it('quotes itself and names the wrong argument, as the start calls do', () => {
    const refused = (range: ShardRange, total: number): unknown => {
      try {
        shardIdsInRange(range, total);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const past = refused({ from: 2, to: 8 }, 8);
    expect(past).toBeInstanceOf(ValidationError);
    expect(past).toMatchObject({ field: 'range.to' });
    expect((past as Error).message).toContain('in shardIdsInRange({ from: 2, to: 8 }, 8)');
    expect(refused({ from: 0, to: 1 }, 0)).toMatchObject({ field: 'total' });
  });
});
