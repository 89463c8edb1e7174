import { describe, expect, it } from 'vitest';
import { Client, Intents, Token, ValidationError } from '@bot/client';

// `Client.builder(Token.fromEnv()!, …)` with the variables unset passes `undefined`: building is
// refused with a ValidationError naming the token and what to set.

describe('ClientBuilder without a token', () => {
  it('says the token is missing, and which variables Token.fromEnv() reads', async () => {
    const error: unknown = await Client.builder(Token.fromEnv({})!, Intents.default())
      .eventHandler({})
      .build()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('token');
    expect((error as ValidationError).message).toMatch(/^token is missing \(got undefined\)/);
    expect((error as ValidationError).message).toMatch(/QQ_BOT_APP_ID.*QQ_BOT_SECRET/);
  });

  it('says a token of the wrong type is one, without showing it', async () => {
    const error: unknown = await Client.builder('1024.s3cr3t' as unknown as Token, Intents.default())
      .eventHandler({})
      .build()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(
      /^token must be a Token \(got a value of type string\)/,
    );
    expect((error as ValidationError).message).not.toContain('s3cr3t');
  });
});
