import { describe, expect, it } from 'vitest';
import { AccessTokenProvider, AuthenticationError, createLogger, Token } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// Concurrent callers share one token fetch. When it fails, each must still be shown the line of
// its own code that made the call, not the first caller's.

describe('a shared token fetch that fails', () => {
  const setup = useEmulatorRest();

  it("shows each REST caller its own call site, not the first caller's", async () => {
    const api = setup.client({ token: new Token(setup.emulator.appId, 'not-the-secret') });
    async function profileFromFirstCaller(): Promise<unknown> {
      return api.users.me();
    }
    async function guildsFromSecondCaller(): Promise<unknown> {
      return api.users.guilds();
    }
    const [first, second] = await Promise.all([
      profileFromFirstCaller().catch((e: unknown) => e),
      guildsFromSecondCaller().catch((e: unknown) => e),
    ]);
    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).stack).toMatch(/^AuthenticationError: authentication failed/);
    }
    expect((first as Error).stack).toContain('profileFromFirstCaller');
    expect((first as Error).stack).not.toContain('guildsFromSecondCaller');
    expect((second as Error).stack).toContain('guildsFromSecondCaller');
    expect((second as Error).stack).not.toContain('profileFromFirstCaller');
  });

  it('gives every waiting caller an AuthenticationError of its own with the same facts', async () => {
    const tokens = new AccessTokenProvider(new Token(setup.emulator.appId, 'not-the-secret'), {
      tokenUrl: setup.emulator.tokenUrl,
      logger: createLogger('test', 7),
    });
    const errors = await Promise.all([1, 2, 3].map(() => tokens.get().catch((e: unknown) => e)));
    const [first] = errors as AuthenticationError[];
    expect(first).toBeInstanceOf(AuthenticationError);
    expect(new Set(errors).size).toBe(3);
    for (const error of errors as AuthenticationError[]) {
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({
        kind: 'authentication',
        name: 'AuthenticationError',
        code: first!.code,
        platformMessage: 'invalid appid or secret',
        traceId: first!.traceId,
        remedy: first!.remedy,
        message: first!.message,
      });
      expect(error.stack).toMatch(/^AuthenticationError: authentication failed: code \d+/);
    }
  });
});
