import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/errors/describeValue.js';

// Values from answers are described by type and at most 40 characters of their JSON, with `…`
// only when something was left out.

describe('describeValue', () => {
  it.each([
    [
      'a value whose JSON is exactly 40 characters',
      'x'.repeat(38),
      `a string (${JSON.stringify('x'.repeat(38))})`,
    ],
    ['an array whose JSON is exactly 40 characters', ['y'.repeat(36)], `an array (["${'y'.repeat(36)}"])`],
    [
      'one character more',
      'x'.repeat(39),
      `a string (${JSON.stringify('x'.repeat(38) + 'x').slice(0, 40)}…)`,
    ],
    ['a short object', { a: 1 }, 'an object ({"a":1})'],
    ['a number', 4.5, 'a number (4.5)'],
    ['null', null, 'null'],
    ['nothing', undefined, 'nothing'],
  ])('describes %s', (_name, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('reads no further into a deeply nested value than it quotes', () => {
    let value: unknown = [];
    for (let depth = 0; depth < 100_000; depth++) value = [value];
    expect(describeValue(value)).toBe(`an array (${'['.repeat(40)}…)`);
  });
});
