import { describe, expect, it } from 'vitest';
import { Client, Intents, Token, ValidationError } from '@bot/client';

// callSites() sets the REST client's option of the same name: anything but a boolean is a
// mistake (a string from an environment variable, say) and is refused where it is written.

const builder = () => Client.builder(new Token('app', 'secret'), Intents.default());

describe('ClientBuilder.callSites', () => {
  it('is off by default; on with no argument or undefined; set by a boolean', () => {
    expect(builder().getCallSites()).toBe(false);
    expect(builder().callSites().getCallSites()).toBe(true);
    expect(builder().callSites(undefined).getCallSites()).toBe(true);
    expect(builder().callSites(true).callSites(false).getCallSites()).toBe(false);
  });

  it.each([['yes'], [1], [null]])('refuses %j with a ValidationError, keeping the setting', (value) => {
    const b = builder().callSites(true);
    const error = (() => {
      try {
        b.callSites(value as unknown as boolean);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('callSites');
    expect((error as ValidationError).message).toContain('must be true or false');
    expect(b.getCallSites()).toBe(true);
  });
});
