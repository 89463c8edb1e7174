import { describe, expect, it } from 'vitest';
import { DedupeWindow } from '../src/dispatch/DedupeWindow.js';

describe('DedupeWindow across capacities', () => {
  // Powers of two and their neighbours: a slot splits into tag and log position at capacity − 1.
  it.each([1, 2, 3, 4, 5, 255, 256, 257, 10_000, 65_536, 65_537])(
    'at capacity %i, remembers the last `capacity` ids over three rotations and takes no new id for a repeat',
    (capacity) => {
      const window = new DedupeWindow(capacity);
      const id = (n: number): string => `GROUP_AT_MESSAGE_CREATE:${n.toString(16).padStart(40, '0')}.${n}`;
      const total = 3 * capacity + 1;
      for (let n = 0; n < total; n++) {
        expect(window.check(id(n))).toBe(false);
        expect(window.check(id(n))).toBe(true);
      }
      for (let n = total - capacity; n < total; n++) expect(window.check(id(n))).toBe(true);
      expect(window.size).toBeLessThanOrEqual(2 * capacity);
      expect(window.check(id(total))).toBe(false);
    },
  );
});
