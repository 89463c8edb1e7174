import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BotError } from '@bot/core';
import { toWireError, wireErrorProblem } from '../../src/workers/wireError.js';

// An error crossing from a thread is checked on the other side, and a refused one stops the whole
// thread: whatever a handler throws, what toWireError makes of it must pass that check.

/** A framework error, whose `kind` crosses too. */
class OddBotError extends BotError {
  public readonly kind = 'validation' as const;
  public constructor(message: string) {
    super(message);
  }
}

/** An Error whose own parts and fields are set to anything, as code may set them. */
const oddError = fc
  .record({
    name: fc.anything(),
    message: fc.anything(),
    stack: fc.anything(),
    cause: fc.anything(),
    fields: fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), fc.anything(), { maxKeys: 20 }),
    bot: fc.boolean(),
  })
  .map(({ name, message, stack, cause, fields, bot }) => {
    const error = bot ? new OddBotError('bot') : new Error('plain');
    // The stack first: redefining V8's lazy stack formats it from the name and message, which
    // would throw here, in the test, on a name already set to an object without a string form.
    const parts: Array<[string, unknown]> = [
      ['stack', stack],
      ...Object.entries(fields),
      ['name', name],
      ['message', message],
      ['cause', cause],
      ['stack', stack],
    ];
    for (const [key, value] of parts) {
      Object.defineProperty(error, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return error;
  });

describe('toWireError', () => {
  it('makes of any thrown value an error the receiving thread accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), oddError), (thrown) => {
        expect(wireErrorProblem(toWireError(thrown))).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it('converts a name, message or stack that is not text, and takes a null stack as none', () => {
    const error = Object.assign(new Error('x'), { name: 5, message: { text: 'obj' }, stack: null });
    const wire = toWireError(error);
    expect(wireErrorProblem(wire)).toBeUndefined();
    expect(wire.stack).toBeUndefined();
    expect(wire.message).toContain('obj');
  });

  it('crosses an error whose name has no string form, its stack never read before', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'name', { value: Object.create(null), enumerable: true, writable: true });
    const wire = toWireError(error);
    expect(wireErrorProblem(wire)).toBeUndefined();
    expect(wire.name).toBe('Error');
  });
});
