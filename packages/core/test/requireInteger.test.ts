import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { optionalInteger, requireInteger } from '../src/validate/checks.js';
import { ValidationError } from '../src/errors/ValidationError.js';

describe('requireInteger', () => {
  it('returns the value it accepts, bounds included', () => {
    expect(requireInteger(0, 'count', 0)).toBe(0);
    expect(requireInteger(400, 'query.limit', 1, 400)).toBe(400);
    expect(requireInteger(Number.MAX_SAFE_INTEGER, 'id', 0)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('names the field, the allowed range and the value it got', () => {
    expect(() => requireInteger(401, 'query.limit', 1, 400)).toThrow(
      new ValidationError('query.limit', 'must be an integer from 1 to 400 (got 401)'),
    );
    expect(() => requireInteger(-1, 'total', 0)).toThrow('total must be an integer ≥ 0 (got -1)');
    expect(() => requireInteger('3', 'position', 0)).toThrow('position must be an integer ≥ 0 (got 3)');
  });

  it('refuses fractions, NaN, infinities and integers beyond the safe range', () => {
    for (const value of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, undefined, null])
      expect(() => requireInteger(value, 'n', 0)).toThrow(ValidationError);
  });

  it('accepts exactly the safe integers within the bounds', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.integer(),
        fc.option(fc.integer(), { nil: undefined }),
        (value, min, max) => {
          const inRange = Number.isSafeInteger(value) && value >= min && (max === undefined || value <= max);
          if (inRange) expect(requireInteger(value, 'n', min, max)).toBe(value);
          else expect(() => requireInteger(value, 'n', min, max)).toThrow(ValidationError);
        },
      ),
    );
  });
});

describe('optionalInteger', () => {
  it('lets undefined through and checks anything else', () => {
    expect(optionalInteger(undefined, 'maxLength', 1)).toBeUndefined();
    expect(optionalInteger(5, 'maxLength', 1)).toBe(5);
    expect(() => optionalInteger(0, 'maxLength', 1)).toThrow('maxLength must be an integer ≥ 1 (got 0)');
  });
});
