import { describe, expect, it } from 'vitest';
import { AccessTokenProvider, RestClient, Token } from '@bot/http';
import { thrown } from '../../core/test/support/thrown.js';

// The READMEs read the credentials as `process.env.QQ_BOT_APP_ID!`: an unset variable arrives as
// `undefined`. It is refused as a ValidationError naming the option and what to set, never as a
// TypeError from deep inside, and the message never shows a secret.

describe('missing credentials', () => {
  it('Token: an AppID left undefined is missing, and says which variable to set', () => {
    const error = thrown(() => new Token(undefined as unknown as string, undefined as unknown as string));
    expect(error.field).toBe('appId');
    expect(error.message).toMatch(/^appId is missing \(got undefined\)/);
    expect(error.message).toContain('QQ_BOT_APP_ID');
  });

  it('Token: a secret left undefined, or of the wrong type, is named without its value', () => {
    const missing = thrown(() => new Token('1024', undefined as unknown as string));
    expect(missing.field).toBe('secret');
    expect(missing.message).toMatch(/^secret is missing \(got undefined\)/);
    expect(missing.message).toContain('QQ_BOT_SECRET');
    const wrongType = thrown(() => new Token('1024', 987654321 as unknown as string));
    expect(wrongType.message).toMatch(/^secret must be a string \(got a value of type number\)/);
    expect(wrongType.message).not.toContain('987654321');
    expect(thrown(() => new Token(1024 as unknown as string, 's')).message).toMatch(
      /^appId must be a string \(got a value of type number\)/,
    );
  });

  it('Token: an empty variable says the same', () => {
    expect(thrown(() => new Token('', 's')).message).toMatch(/^appId must not be empty.*QQ_BOT_APP_ID/);
    expect(thrown(() => new Token('1024', ' ')).message).toMatch(/^secret must not be empty.*QQ_BOT_SECRET/);
  });

  it('RestClient: a token left undefined is missing, and says what to pass', () => {
    const error = thrown(() => new RestClient({ token: undefined as unknown as Token }));
    expect(error.field).toBe('token');
    expect(error.message).toMatch(/^token is missing \(got undefined\)/);
    expect(error.message).toContain('new Token(appId, secret)');
  });

  it('RestClient: a token of the wrong type (a bot token string) is refused, without its value', () => {
    const error = thrown(() => new RestClient({ token: '1024.s3cr3t' as unknown as Token }));
    expect(error.field).toBe('token');
    expect(error.message).toMatch(/^token must be a Token \(got a value of type string\)/);
    expect(error.message).not.toContain('s3cr3t');
  });

  it('AccessTokenProvider: a token left undefined is refused when built, not when first used', () => {
    const error = thrown(() => new AccessTokenProvider(undefined as unknown as Token));
    expect(error.field).toBe('token');
    expect(error.message).toMatch(/^token is missing \(got undefined\)/);
    expect(thrown(() => new AccessTokenProvider('1024.s3cr3t' as unknown as Token)).message).not.toContain(
      's3cr3t',
    );
  });

  it('RestClient: no options at all is refused the same way', () => {
    const error = thrown(() => new (RestClient as unknown as new () => RestClient)());
    expect(error.field).toBe('options');
    expect(error.message).toMatch(/^options is missing/);
  });
});
