import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import { ENV, Platform } from '../support/index.js';

// A user pointing an example at an emulator of their own (root README) who forgets the
// credentials must not be connected to the embedded emulator without a word: the messages they
// then send over their emulator's control API would reach no bot.
describe('Platform.connect with a host but no credentials', () => {
  it.each([
    [{ [ENV.apiUrl]: 'http://127.0.0.1:9000' }, ENV.apiUrl],
    [{ [ENV.apiUrl]: 'http://127.0.0.1:9000', [ENV.tokenUrl]: 'http://127.0.0.1:9000/t' }, ENV.apiUrl],
    [{ [ENV.tokenUrl]: 'http://127.0.0.1:9000/t' }, ENV.tokenUrl],
    [{ [ENV.sandbox]: '1' }, ENV.sandbox],
  ])('refuses %o, naming %s and both credentials', async (env, field) => {
    const refusal = await Platform.connect({}, env).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).field).toBe(field);
    expect((refusal as ValidationError).message).toContain(ENV.appId);
    expect((refusal as ValidationError).message).toContain(ENV.secret);
  });

  it('still runs on the embedded emulator when QQ_BOT_SANDBOX is 0', async () => {
    const platform = await Platform.connect({}, { [ENV.sandbox]: '0' });
    try {
      expect(platform.emulator).toBeDefined();
    } finally {
      await platform.stop();
    }
  });
});
