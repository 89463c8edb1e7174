import { describe, expect, it } from 'vitest';
import { Token, ValidationError } from '@bot/http';

// The AppID goes into a request header (docs/protocol.md §1.4): a character a header cannot carry
// would fail every call on the network, so it is refused where the Token is built.

describe('Token AppID', () => {
  it.each([
    ['a trailing line break (read from a file)', '1024\n'],
    ['a trailing carriage return', '1024\r'],
    ['a leading space', ' 1024'],
    ['a tab inside', '10\t24'],
    ['a NUL character', '1024\u0000'],
    ['a zero-width space', '1024\u200b'],
    ['a non-ASCII digit', '１０２４'],
  ])('refuses an AppID with %s, naming the field and what to do', (_name, appId) => {
    const build = () => new Token(appId, 'the-secret');
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/^appId .*(whitespace|control|printable)/);
    try {
      build();
    } catch (error) {
      expect(error).toMatchObject({ kind: 'validation', field: 'appId' });
      expect((error as Error).message).not.toContain('the-secret');
      expect((error as Error).message).not.toMatch(/[\r\n\t\u0000]/);
    }
  });

  it('refuses such an AppID read from the environment too', () => {
    expect(() => Token.fromEnv({ QQ_BOT_APP_ID: '1024\n', QQ_BOT_SECRET: 's' })).toThrow(ValidationError);
  });

  it('keeps accepting AppIDs of visible ASCII', () => {
    expect(new Token('102000000', 's').appId).toBe('102000000');
    expect(new Token('app-1', 's').appId).toBe('app-1');
  });
});
