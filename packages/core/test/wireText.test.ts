import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeWireValue, quotedValue, wireName } from '@bot/core';

// Names and values read off the wire go into log lines and error messages: whatever they hold,
// what is written is one line, with nothing that starts a terminal escape or turns text around.

/** Characters that end a line, start a terminal escape or reorder the text shown. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Texts of any code points, with the unsafe ones common enough to show up in every run. */
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\n', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202e', '\u2067'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 100,
});

describe('wireName', () => {
  it('shows a short plain name as it is, and quotes anything else', () => {
    expect(wireName('AT_MESSAGE_CREATE')).toBe('AT_MESSAGE_CREATE');
    expect(wireName('ROBOT:event-1.2')).toBe('ROBOT:event-1.2');
    expect(wireName('two words')).toBe('"two words"');
    expect(wireName('')).toBe('""');
    expect(wireName('a\nb"c')).toBe('"a\\nb\\"c"');
  });

  it('cuts a long name and says how long it was', () => {
    expect(wireName('x'.repeat(65))).toBe(`"${'x'.repeat(32)}…" (65 characters)`);
    expect(wireName('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('describes a name that is not a string by its kind', () => {
    expect(wireName(7)).toBe('7');
    expect(wireName(undefined)).toBe('none');
    expect(wireName({ t: 'x' })).toBe('an object');
  });

  // JSON.stringify escapes only the C0 controls: these pass it unchanged.
  it('escapes C1 controls, DEL, line and paragraph separators and bidirectional overrides', () => {
    expect(wireName('ev\u009b2J')).toBe('"ev\\u009b2J"');
    expect(wireName('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"');
    expect(wireName('id\u202egnp.exe\u2066')).toBe('"id\\u202egnp.exe\\u2066"');
    expect(wireName('\u007f')).toBe('"\\u007f"');
    expect(wireName('\u0085'.repeat(70))).toBe(`"${'\\u0085'.repeat(32)}…" (70 characters)`);
  });

  it('is one safe line for any text', () => {
    fc.assert(
      fc.property(hostileText, (name) => {
        expect(wireName(name)).not.toMatch(UNSAFE);
      }),
    );
  });
});

describe('describeWireValue', () => {
  it('describes by type and size with a short escaped preview', () => {
    expect(describeWireValue(undefined)).toBe('none');
    expect(describeWireValue(null)).toBe('null');
    expect(describeWireValue(7)).toBe('7');
    expect(describeWireValue(false)).toBe('false');
    expect(describeWireValue('bad')).toBe('a string of 3 characters "bad"');
    expect(describeWireValue('x')).toBe('a string of 1 character "x"');
    expect(describeWireValue([1, 2])).toBe('an array of 2 items');
    expect(describeWireValue([[]])).toBe('an array of 1 item');
    expect(describeWireValue({ a: 1 })).toBe('an object');
    expect(describeWireValue('y'.repeat(40))).toBe(`a string of 40 characters "${'y'.repeat(32)}…"`);
  });

  it('escapes what JSON.stringify leaves raw in its preview', () => {
    expect(describeWireValue('\u001b[2J\u009b2J\u2028')).toBe(
      'a string of 8 characters "\\u001b[2J\\u009b2J\\u2028"',
    );
  });

  it('never walks into a deep value', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeWireValue(deep)).toBe('an array of 1 item');
  });
});

describe('quotedValue', () => {
  it('escapes what JSON.stringify leaves raw', () => {
    expect(quotedValue('a\u009bb\u2029c\u202e')).toBe('"a\\u009bb\\u2029c\\u202e"');
  });
});
