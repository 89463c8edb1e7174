import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenProvider, ApiError, Token, createLogger } from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';

// docs/protocol.md §1.2: the credentials go to the token URL the bot was given, and nowhere else.

describe('token endpoint redirects', () => {
  let tokenHost: FakePlatform;
  let elsewhere: FakePlatform;
  beforeEach(async () => {
    tokenHost = await FakePlatform.start();
    elsewhere = await FakePlatform.start({ accessToken: 'stolen' });
  });
  afterEach(async () => {
    await tokenHost.stop();
    await elsewhere.stop();
  });

  const provider = () =>
    new AccessTokenProvider(new Token('1024', 'TOP-SECRET'), {
      tokenUrl: tokenHost.tokenUrl,
      logger: createLogger('test', 7),
    });

  it.each([301, 302, 303, 307, 308])(
    'never sends the AppSecret to where a %i points, and names that origin and the option to set',
    async (status) => {
      tokenHost.tokenAnswer = { status, headers: { location: elsewhere.tokenUrl } };
      const error = await provider()
        .get()
        .catch((e: unknown) => e);

      expect(elsewhere.tokenRequests).toHaveLength(0);
      expect(elsewhere.requests).toHaveLength(0);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ kind: 'api', status });
      const message = (error as Error).message;
      expect(message).toContain(`redirected to ${elsewhere.baseUrl}`);
      expect(message).toContain('tokenUrl');
      expect(message).not.toContain('TOP-SECRET');
    },
  );

  it('reports a redirect without a Location as one, still sending nothing further', async () => {
    tokenHost.tokenAnswer = { status: 302 };
    const error = await provider()
      .get()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'api', status: 302 });
    expect((error as Error).message).toMatch(/redirected .*tokenUrl/);
    expect(tokenHost.tokenRequests).toHaveLength(1);
  });

  it('does not cache a redirect: the next get() asks the token URL again', async () => {
    tokenHost.tokenAnswer = { status: 307, headers: { location: elsewhere.tokenUrl } };
    const tokens = provider();
    await expect(tokens.get()).rejects.toBeInstanceOf(ApiError);
    tokenHost.tokenAnswer = undefined;
    await expect(tokens.get()).resolves.toBe('token-2');
    expect(elsewhere.tokenRequests).toHaveLength(0);
  });
});
