/**
 * Reading an error's fields for the wire is bounded by what crosses, not by what the error holds:
 * a field holding an object of a million entries, or the same object referenced many times, once
 * blocked the thread for seconds (every entry was read, for every reference, before the cap of
 * `MAX_FIELD_ITEMS` applied). Each case counts the entries read through getters.
 */
import { describe, expect, it } from 'vitest';
import { BotError } from '@bot/core';
import { fromWireError, toWireError, wireErrorProblem } from '../../src/workers/wireError.js';
import { MAX_FIELD_DEPTH, MAX_FIELD_ITEMS } from '../../src/workers/wireFields.js';

class BodyError extends BotError {
  public readonly kind = 'validation' as const;
  public constructor(fields: Record<string, unknown>) {
    super('refused');
    Object.assign(this, fields);
  }
}

/** A plain object of `size` entries, each a getter counting its reads in `reads.count`. */
function counted(size: number, reads: { count: number }): Record<string, number> {
  const object: Record<string, number> = {};
  for (let index = 0; index < size; index += 1) {
    Object.defineProperty(object, `k${index}`, {
      enumerable: true,
      get: () => {
        reads.count += 1;
        return index;
      },
    });
  }
  return object;
}

/** `error` as the main thread rebuilds it, checked as the port would deliver it. */
function crossed(error: Error): Error & Record<string, unknown> {
  const wire = structuredClone(toWireError(error));
  expect(wireErrorProblem(wire)).toBeUndefined();
  return fromWireError(wire) as Error & Record<string, unknown>;
}

describe('toWireError reads no more entries than cross', () => {
  it('an object of many entries has at most MAX_FIELD_ITEMS of them read', () => {
    const reads = { count: 0 };
    const error = crossed(new BodyError({ body: counted(10_000, reads) }));
    expect(reads.count).toBeLessThanOrEqual(MAX_FIELD_ITEMS);
    expect(Object.keys(error['body'] as object)).toHaveLength(MAX_FIELD_ITEMS);
  });

  it('an object referenced many times in one error is read once', () => {
    const reads = { count: 0 };
    const shared = counted(8, reads);
    const error = crossed(new BodyError({ a: Array(16).fill(shared), b: shared, c: { shared } }));
    // Once per level it appears at: each level nests to its own depth.
    expect(reads.count).toBeLessThanOrEqual(8 * MAX_FIELD_DEPTH);
    const items = error['a'] as unknown[];
    expect(items).toHaveLength(16);
    for (const item of items)
      expect(item).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7 });
    expect(error['b']).toEqual(items[0]);
    expect((error['c'] as { shared: unknown }).shared).toEqual(items[0]);
  });

  it('a cycle crosses without the entry that closes it, read once', () => {
    const reads = { count: 0 };
    const body: Record<string, unknown> = counted(2, reads);
    body['self'] = body;
    const error = crossed(new BodyError({ body }));
    expect(error['body']).toEqual({ k0: 0, k1: 1 });
    expect(reads.count).toBe(2);
  });

  it('shared references count against the value allowance each time they cross', () => {
    const shared = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`k${index}`, index]));
    // 16 references of 61 values each: past MAX_FIELD_VALUES, so some stay behind, and the rest pass the check.
    const fields = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`f${index}`, shared]));
    const error = crossed(new BodyError(fields));
    const kept = Object.keys(error).filter((key) => key.startsWith('f'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(16);
  });
});

describe('toWireError never throws for a field it cannot read', () => {
  it('an own enumerable getter that throws stays behind, the other fields cross', () => {
    const error = new BodyError({ code: 7 });
    Object.defineProperty(error, 'broken', {
      enumerable: true,
      get: () => {
        throw new Error('no reading this');
      },
    });
    const rebuilt = crossed(error);
    expect(rebuilt.message).toContain('refused');
    expect(rebuilt['broken']).toBeUndefined();
    expect(rebuilt['code']).toBe(7);
  });

  it('fields named constructor, toString or valueOf stay behind, so the rebuilt error converts to text', () => {
    const rebuilt = crossed(new BodyError({ toString: 'text', valueOf: 1, constructor: { a: 1 }, code: 7 }));
    expect(rebuilt['code']).toBe(7);
    expect(String(rebuilt)).toContain('refused');
    expect(`${rebuilt}`).toContain('refused');
  });
});
