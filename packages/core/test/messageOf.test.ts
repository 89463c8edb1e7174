import { describe, expect, it } from 'vitest';
import { messageOf } from '@bot/core';

describe('messageOf', () => {
  it("gives an Error's message, and a thrown string as it is", () => {
    expect(messageOf(new TypeError('bad input'))).toBe('bad input');
    expect(messageOf('database unreachable')).toBe('database unreachable');
  });

  it('shows a thrown object by its fields, not as [object Object]', () => {
    expect(messageOf({ code: 40054005, reason: 'duplicate' })).toBe(
      "{ code: 40054005, reason: 'duplicate' }",
    );
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf(42)).toBe('42');
  });

  it('never throws, whatever was thrown', () => {
    const bare = Object.assign(Object.create(null) as object, { reason: 'no prototype' });
    const hostile = {
      toString(): string {
        throw new Error('no');
      },
      [Symbol.for('nodejs.util.inspect.custom')](): string {
        throw new Error('no');
      },
    };
    expect(() => String(bare)).toThrow(TypeError);
    expect(messageOf(bare)).toContain("reason: 'no prototype'");
    expect(messageOf(hostile)).toBe('a thrown value that cannot be shown');
  });

  it('bounds what it makes of a long thrown value at 500 characters', () => {
    expect(messageOf('x'.repeat(10_000))).toBe(`${'x'.repeat(500)}…`);
    expect(messageOf(new Error('y'.repeat(600)))).toHaveLength(600);
  });
});
