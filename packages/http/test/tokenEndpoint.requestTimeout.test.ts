import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccessTokenProvider, ApiError, AuthenticationError, Token, createLogger } from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';
import { settle, until, useRestFixture } from './support/restFixture.js';

// A 408 (Request Timeout) says the server gave up waiting for the request before it had it whole:
// a proxy's or load balancer's answer (an idle keep-alive connection it closed, a slow upload), not a
// verdict on the credentials. It is an outage to retry, never a final AuthenticationError telling
// the user to check an AppSecret that is right.

const TIMED_OUT = { status: 408, raw: '<html><body><h1>408 Request Time-out</h1></body></html>' };

describe('a token endpoint answering 408', () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await FakePlatform.start();
  });
  afterEach(async () => {
    await platform.stop();
  });

  it.each([
    ['a proxy page', TIMED_OUT],
    ['a JSON body without a code', { status: 408, body: { message: 'request timeout' } }],
  ])(
    'with %s is an outage (ApiError), not refused credentials, and nothing is cached',
    async (_name, answer) => {
      platform.tokenAnswer = answer;
      const tokens = new AccessTokenProvider(new Token('1024', 'the-secret'), {
        tokenUrl: platform.tokenUrl,
        logger: createLogger('test', 7),
      });
      const error = await tokens.get().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 408 });
      expect((error as Error).message).not.toContain('AppSecret');
      platform.tokenAnswer = undefined;
      await expect(tokens.get()).resolves.toMatch(/^token-/);
    },
  );
});

describe('a REST call while the token endpoint answers 408', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.useRealTimers());

  it('retries the token within its budget and succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    fixture.platform.tokenAnswer = TIMED_OUT;
    fixture.platform.handler = () => ({ body: { id: 'me' } });
    const rest = fixture.client({ backoff: { base: 1_000, max: 1_000 }, timeout: 60_000 });
    const call = rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    await until(() => fixture.platform.tokenRequests.length === 1);
    await settle();
    fixture.platform.tokenAnswer = undefined;
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(call).resolves.toEqual({ id: 'me' });
    expect(fixture.platform.tokenRequests).toHaveLength(2);
  });
});
