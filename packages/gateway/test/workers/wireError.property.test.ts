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
    for (const [key, value] of Object.entries({ ...fields, name, message, stack, cause })) {
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
      { numRuns: 500 },
    );
  });

  it('converts a name, message or stack that is not text, and takes a null stack as none', () => {
    const error = Object.assign(new Error('x'), { name: 5, message: { text: 'obj' }, stack: null });
    const wire = toWireError(error);
    expect(wireErrorProblem(wire)).toBeUndefined();
    expect(wire.stack).toBeUndefined();
    expect(wire.message).toContain('obj');
  });
});
