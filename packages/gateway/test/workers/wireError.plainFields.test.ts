/**
 * An error whose class the main thread does not rebuild arrives as a `RemoteBotError`. Its fields
 * holding plain data (a `Date`, objects of no class, arrays) used to stay behind, so a user's
 * `err.retryAt instanceof Date` was false on a worker shard and true in-process. Each case crosses
 * as the port carries it: `structuredClone`, then the main thread's check, then the rebuild.
 */
import { describe, expect, it } from 'vitest';
import { BotError } from '@bot/core';
import { RemoteBotError } from '@bot/gateway';
import { fromWireError, toWireError, wireErrorProblem, type WireError } from '../../src/workers/wireError.js';
import { MAX_FIELD_DEPTH, MAX_FIELD_ITEMS, MAX_FIELD_VALUES } from '../../src/workers/wireFields.js';

/** A framework error of a class the gateway does not know, with whatever fields a test gives it. */
class QuotaError extends BotError {
  public readonly kind = 'validation' as const;
  public constructor(fields: Record<string, unknown>) {
    super('quota spent');
    Object.assign(this, fields);
  }
}

/** `error` as the main thread receives it from a thread: cloned, checked, rebuilt. */
function crossed(error: Error): Error & Record<string, unknown> {
  const wire = structuredClone(toWireError(error));
  expect(wireErrorProblem(wire)).toBeUndefined();
  return fromWireError(wire) as Error & Record<string, unknown>;
}

/** A wire error with `fields`, as a thread could post it, cloned as the port would. */
const posted = (fields: unknown): unknown =>
  structuredClone({ name: 'QuotaError', message: 'm', stack: undefined, kind: 'validation', fields });

describe('a RemoteBotError keeps the plain-data fields of the error that crossed', () => {
  it('a Date field arrives as a Date of this thread, with its time', () => {
    const retryAt = new Date('2026-12-07T16:00:00.000Z');
    const error = crossed(new QuotaError({ retryAt, code: 429 }));
    expect(error).toBeInstanceOf(RemoteBotError);
    expect(error['retryAt']).toBeInstanceOf(Date);
    expect((error['retryAt'] as Date).getTime()).toBe(retryAt.getTime());
    expect(error['code']).toBe(429);
  });

  it('nested objects and arrays arrive whole, Dates inside them too, as objects made here', () => {
    const body = {
      errors: [{ code: 11264, at: new Date(0), path: ['msg', 'content'] }],
      meta: { trace: { id: 'abc', flags: [true, null] } },
    };
    const error = crossed(new QuotaError({ body }));
    expect(error['body']).toEqual(body);
    const received = error['body'] as typeof body;
    expect(received.errors[0]!.at).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(received.meta.trace)).toBe(Object.prototype);
  });

  it('an object of no prototype arrives as a plain object', () => {
    const bare = Object.assign(Object.create(null) as object, { reason: 'none' });
    const error = crossed(new QuotaError({ bare }));
    expect(error['bare']).toEqual({ reason: 'none' });
    expect(Object.getPrototypeOf(error['bare'])).toBe(Object.prototype);
  });

  it('the rebuilt fields are copies: changing the wire after the rebuild changes nothing', () => {
    const wire = structuredClone(
      toWireError(new QuotaError({ meta: { a: 1 }, at: new Date(5) })),
    ) as WireError;
    const error = fromWireError(wire) as Error & Record<string, unknown>;
    (wire.fields!['meta'] as Record<string, unknown>)['a'] = 2;
    (wire.fields!['at'] as Date).setTime(9);
    expect(error['meta']).toEqual({ a: 1 });
    expect((error['at'] as Date).getTime()).toBe(5);
  });

  it('leaves behind what is not plain data: functions, class instances, bigints, throwing getters', () => {
    const throwing = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    const error = crossed(
      new QuotaError({
        retry: () => undefined,
        map: new Map([['a', 1]]),
        url: new URL('https://example.invalid/'),
        big: 10n,
        mixed: { keep: 'yes', fn: () => undefined, set: new Set([1]) },
        list: [1, () => undefined],
        throwing,
      }),
    );
    for (const key of ['retry', 'map', 'url', 'big', 'list', 'throwing'])
      expect(error).not.toHaveProperty(key);
    expect(error['mixed']).toEqual({ keep: 'yes' });
  });

  it('a cycle crosses once, without the reference back', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    const error = crossed(new QuotaError({ loop }));
    expect(error['loop']).toEqual({ name: 'loop' });
  });

  it(`at most ${MAX_FIELD_VALUES} values cross: the fields past them stay behind`, () => {
    const wide = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`f${i}`, Array.from({ length: 40 }, (__, j) => j)]),
    );
    const error = crossed(new QuotaError(wide));
    const kept = Object.keys(wide).filter((key) => key in error);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(10);
    for (const key of kept) expect(error[key]).toEqual(wide[key]);
  });
});

describe('the main thread refuses fields no thread would post', () => {
  const deep = (levels: number): unknown => (levels === 0 ? 1 : { next: deep(levels - 1) });
  const cases: Array<[string, unknown, RegExp]> = [
    ['a Map', { m: new Map() }, /field "m".*class/],
    ['an object of a class (a RegExp)', { r: /x/ }, /field "r".*class/],
    [
      'an entry named __proto__ inside an object',
      { o: JSON.parse('{"a": {"__proto__": {"x": 1}}}') },
      /__proto__/,
    ],
    [`objects nested ${MAX_FIELD_DEPTH + 1} levels`, { d: deep(MAX_FIELD_DEPTH + 1) }, /deeper/],
    [
      `an array of ${MAX_FIELD_ITEMS + 1} items`,
      { a: Array.from({ length: MAX_FIELD_ITEMS + 1 }, () => 0) },
      /array/,
    ],
    [
      `more than ${MAX_FIELD_VALUES} values in all`,
      Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, Array.from({ length: 60 }, () => 0)])),
      /values/,
    ],
    ['a text past the bound inside an object', { o: { t: 'x'.repeat(4_001) } }, /text/],
  ];
  it.each(cases)('%s', (_name, fields, problem) => {
    expect(wireErrorProblem(posted(fields))).toMatch(problem);
  });

  it(`objects nested ${MAX_FIELD_DEPTH} levels pass`, () => {
    expect(wireErrorProblem(posted({ d: deep(MAX_FIELD_DEPTH - 1) }))).toBeUndefined();
  });
});
