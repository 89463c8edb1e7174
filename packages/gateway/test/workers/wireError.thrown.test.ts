import { describe, expect, it } from 'vitest';
import { fromWireError, toWireError } from '../../src/workers/wireError.js';

describe('a thrown value that is not an Error, as it crosses between threads', () => {
  it('a plain object shows its fields, not [object Object]', () => {
    const wire = toWireError({ code: 'ECONNREFUSED', port: 5432 });
    expect(fromWireError(wire).message).toBe("{ code: 'ECONNREFUSED', port: 5432 }");
  });

  it('a string, a number and undefined read as themselves', () => {
    expect(toWireError('the flush was refused').message).toBe('the flush was refused');
    expect(toWireError(42).message).toBe('42');
    expect(toWireError(undefined).message).toBe('undefined');
  });

  it('a value String() cannot convert (no prototype, a throwing toString) still crosses, with what can be shown', () => {
    const bare = Object.assign(Object.create(null) as object, { reason: 'no prototype' });
    expect(() => String(bare)).toThrow(TypeError);
    expect(toWireError(bare).message).toContain("reason: 'no prototype'");
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading this');
        },
        ownKeys() {
          throw new Error('no listing this');
        },
      },
    );
    expect(toWireError(hostile).message).toEqual(expect.any(String));
  });

  it('is bounded: a huge value is cut to 500 characters and an ellipsis', () => {
    const text = toWireError({ data: 'x'.repeat(10_000) }).message;
    expect(text).toHaveLength(501);
    expect(text.endsWith('…')).toBe(true);
  });

  it('an Error keeps its message', () => {
    expect(toWireError(new RangeError('out of range')).message).toBe('out of range');
  });
});
