import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AccessTokenProvider,
  ApiError,
  AuthenticationError,
  NetworkError,
  Token,
  createLogger,
  type BotLogger,
} from '@bot/http';
import { ValidationError } from '@bot/core';
import { FakePlatform } from './support/fakePlatform.js';
import { until } from './support/restFixture.js';

const silent = () => createLogger('test', 7);

/** Lets time pass, on the wall clock and the steady clock alike, until the wall clock reads `at`. */
const advanceTo = (at: number) => vi.advanceTimersByTime(at - Date.now());

/** A logger that prints nothing and keeps each warning it is given, as JSON. */
function warningLogger(): { logger: BotLogger; warnings: string[] } {
  const warnings: string[] = [];
  const logger = createLogger('test', 0);
  logger.settings.type = 'hidden';
  logger.attachTransport((record) => {
    if (record['_meta']?.logLevelName === 'WARN') warnings.push(JSON.stringify(record));
  });
  return { logger, warnings };
}

describe('AccessTokenProvider', () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await FakePlatform.start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await platform.stop();
  });

  const provider = (secret = 'the-secret') =>
    new AccessTokenProvider(new Token('app-1', secret), { tokenUrl: platform.tokenUrl, logger: silent() });

  it('sends appId and clientSecret and returns the bare token', async () => {
    await expect(provider().get()).resolves.toBe('token-1');
    expect(platform.tokenRequests[0]?.json).toEqual({ appId: 'app-1', clientSecret: 'the-secret' });
  });

  it('serves 100 concurrent callers with a single fetch', async () => {
    const tokens = provider();
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.get()));
    expect(new Set(results)).toEqual(new Set(['token-1']));
    expect(platform.tokenRequests).toHaveLength(1);
  });

  it('accepts expires_in as a number as well as a string', async () => {
    platform.tokenAnswer = { body: { access_token: 'numeric', expires_in: 7200 } };
    const tokens = provider();
    await expect(tokens.get()).resolves.toBe('numeric');
    expect(tokens.expiresAt! - Date.now()).toBeGreaterThan(7_100_000);
  });

  it('keeps the token until the refresh margin, then fetches inside the last minute', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_000_000 });
    const tokens = provider();
    await expect(tokens.get()).resolves.toBe('token-1');

    advanceTo(1_000_000 + (7200 - 61) * 1000); // one second before the platform's last minute
    await expect(tokens.get()).resolves.toBe('token-1');
    advanceTo(1_000_000 + (7200 - 51) * 1000);
    await expect(tokens.get()).resolves.toBe('token-1');
    expect(platform.tokenRequests).toHaveLength(1);

    advanceTo(1_000_000 + (7200 - 50) * 1000); // inside the window: the platform issues a new one
    await expect(tokens.get()).resolves.toBe('token-1'); // still valid while the new one is fetched
    await until(() => tokens.current() === 'token-2');
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it('keeps serving a still-valid token while the token endpoint is down at the refresh point, refreshing in the background', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_000_000 });
    const { logger, warnings } = warningLogger();
    const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
      tokenUrl: platform.tokenUrl,
      logger,
    });
    await expect(tokens.get()).resolves.toBe('token-1');
    const expiresAt = tokens.expiresAt!;
    const refreshFailures = () => warnings.filter((w) => w.includes('refresh failed')).length;

    platform.tokenAnswer = { status: 503, body: { code: 503, message: 'token service down' } };
    advanceTo(expiresAt - 50_000); // the refresh point
    await expect(tokens.get()).resolves.toBe('token-1');
    expect(tokens.current()).toBe('token-1');
    await until(() => refreshFailures() === 1);
    expect(platform.tokenRequests).toHaveLength(2);

    // A failed background refresh is tried again by a later call, never failing the callers meanwhile.
    advanceTo(expiresAt - 30_000);
    await expect(tokens.get()).resolves.toBe('token-1');
    await until(() => refreshFailures() === 2);
    expect(platform.tokenRequests).toHaveLength(3);

    platform.tokenAnswer = undefined;
    advanceTo(expiresAt - 20_000);
    await expect(tokens.get()).resolves.toBe('token-1');
    await until(() => tokens.current() !== 'token-1');
    expect(tokens.current()).toMatch(/^token-/);
    expect(tokens.expiresAt).toBeGreaterThan(expiresAt);
  });

  it('stops serving the cached token shortly before it expires: a caller then waits for a fresh one', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_000_000 });
    const tokens = provider();
    await tokens.get();
    const expiresAt = tokens.expiresAt!;
    platform.tokenAnswer = { status: 503, body: { code: 503, message: 'token service down' } };
    advanceTo(expiresAt - 1_000);
    expect(tokens.current()).toBeUndefined();
    await expect(tokens.get()).rejects.toBeInstanceOf(ApiError);
  });

  it('fetches once early after the wall clock stepped forward, then keeps the new token for its expires_in', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_000_000 });
    const tokens = provider();
    await expect(tokens.get()).resolves.toBe('token-1');

    // Past the token's 2 h on the wall clock alone: as after a suspend, which the provider cannot
    // tell from a step. One fetch too early costs little (the platform answers with the token
    // still valid); one too late would send a token the platform has expired.
    vi.setSystemTime(Date.now() + 3 * 3_600_000);
    expect(tokens.current()).toBeUndefined();
    await expect(tokens.get()).resolves.toBe('token-2');
    expect(tokens.expiresAt).toBe(Date.now() + 7200 * 1000);

    vi.advanceTimersByTime((7200 - 51) * 1000);
    await expect(tokens.get()).resolves.toBe('token-2');
    expect(platform.tokenRequests).toHaveLength(2);
    vi.advanceTimersByTime(1_000); // the refresh point, in real time
    await expect(tokens.get()).resolves.toBe('token-2');
    await until(() => tokens.current() === 'token-3');
  });

  it.each([
    ['NaN', Number.NaN],
    ['negative', -1_000],
    ['zero', 0],
    ['the 60 s lifetime floor', 60_000],
    ['over the lifetime floor', 120_000],
  ])('refuses a refreshMargin that is %s', (_name, refreshMargin) => {
    expect(
      () =>
        new AccessTokenProvider(new Token('app-1', 'the-secret'), {
          tokenUrl: platform.tokenUrl,
          refreshMargin,
        }),
    ).toThrow(ValidationError);
  });

  it('keeps a token the platform says is nearly expired for 30 s instead of fetching per call', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 5_000_000 });
    platform.tokenAnswer = { body: { access_token: 'short', expires_in: '40' } };
    const tokens = provider();
    await tokens.get();
    await tokens.get();
    advanceTo(5_000_000 + 29_999);
    await tokens.get();
    expect(platform.tokenRequests).toHaveLength(1);
    advanceTo(5_000_000 + 30_000);
    await tokens.get();
    await until(() => tokens.expiresAt === 5_030_000 + 60_000);
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it.each([
    ['zero', 0],
    ['negative', -3600],
    ['garbage', 'soon'],
    ['missing', undefined],
    ['infinite as text', 'Infinity'],
  ])(
    'assumes a 60 s lifetime for an expires_in that is %s: one fetch for many calls, warned once',
    async (_name, expiresIn) => {
      vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 9_000_000 });
      platform.tokenAnswer = { body: { access_token: 'odd', expires_in: expiresIn } };
      const { logger, warnings } = warningLogger();
      const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
        tokenUrl: platform.tokenUrl,
        logger,
      });
      const results = await Promise.all(Array.from({ length: 50 }, () => tokens.get()));
      expect(new Set(results)).toEqual(new Set(['odd']));
      await tokens.get();
      expect(platform.tokenRequests).toHaveLength(1);
      expect(tokens.expiresAt).toBe(9_000_000 + 60_000);

      advanceTo(9_000_000 + 30_000);
      await tokens.get();
      await until(() => tokens.expiresAt === 9_030_000 + 60_000);
      expect(platform.tokenRequests).toHaveLength(2);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('expires_in');
    },
  );

  it('bounds a huge expires_in to a day', async () => {
    platform.tokenAnswer = { body: { access_token: 'long', expires_in: 1e12 } };
    const tokens = provider();
    await tokens.get();
    expect(tokens.expiresAt! - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it('invalidate() refreshes only when the rejected token is the cached one', async () => {
    const tokens = provider();
    await tokens.get();
    tokens.invalidate('some-older-token');
    await expect(tokens.get()).resolves.toBe('token-1');
    tokens.invalidate('token-1');
    tokens.invalidate('token-1');
    await expect(Promise.all([tokens.get(), tokens.get()])).resolves.toEqual(['token-2', 'token-2']);
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it('rejects bad credentials with the platform code and message, never the secret', async () => {
    platform.tokenAnswer = { status: 200, body: { code: 100016, message: 'invalid appid or secret' } };
    const error = await provider('super-secret-value')
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      kind: 'authentication',
      code: 100016,
      platformMessage: 'invalid appid or secret',
    });
    expect((error as Error).message).toMatch(/check the AppID and AppSecret the client was built with/);
    for (const text of [String(error), inspect(error, { depth: 5 }), JSON.stringify(error)]) {
      expect(text).not.toContain('super-secret-value');
    }
  });

  it('maps an HTTP error status without a code to an AuthenticationError with that status', async () => {
    platform.tokenAnswer = { status: 403, body: { message: 'forbidden' } };
    await expect(provider().get()).rejects.toMatchObject({ kind: 'authentication', code: 403 });
  });

  it.each([404, 405])(
    'takes a %i without a platform code for a tokenUrl that is not the token endpoint, not for bad credentials',
    async (status) => {
      platform.tokenAnswer = { status, body: { message: 'no such route' } };
      const tokens = provider();
      const error = await tokens.get().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toContain('check that tokenUrl points at the token endpoint');
      expect((error as Error).message).not.toContain('AppSecret');
      platform.tokenAnswer = undefined;
      await expect(tokens.get()).resolves.toMatch(/^token-/);
    },
  );

  it.each([
    ['a server error', { status: 503, body: { message: 'busy' } }],
    ['a rate limit', { status: 429, body: { code: 429, message: 'slow down' } }],
    ['an unreadable answer', { status: 200, body: 'not json at all' }],
  ])(
    'treats %s from the token endpoint as an outage to retry, not as bad credentials',
    async (_name, answer) => {
      platform.tokenAnswer = answer;
      const tokens = provider();
      const error = await tokens.get().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      platform.tokenAnswer = undefined;
      await expect(tokens.get()).resolves.toMatch(/^token-/);
    },
  );

  it('lets one caller give up without failing the shared fetch', async () => {
    platform.tokenAnswer = undefined;
    const tokens = provider();
    const controller = new AbortController();
    const abandoned = tokens.get({ signal: controller.signal });
    const patient = tokens.get();
    controller.abort(new Error('caller gave up'));
    await expect(abandoned).rejects.toThrow('caller gave up');
    await expect(patient).resolves.toBe('token-1');
  });

  it('reports an unreachable token endpoint as a NetworkError', async () => {
    const url = platform.tokenUrl;
    await platform.stop();
    const tokens = new AccessTokenProvider(new Token('a', 'hidden-secret'), {
      tokenUrl: url,
      logger: silent(),
    });
    const error = await tokens.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(inspect(error, { depth: 10 })).not.toContain('hidden-secret');
    platform = await FakePlatform.start();
  });
});

describe('Token', () => {
  it('never shows its secret when printed or serialised', () => {
    const token = new Token('app', 'very-secret');
    for (const text of [String(token), inspect(token), JSON.stringify(token), `${token}`]) {
      expect(text).not.toContain('very-secret');
    }
    expect(token.secret).toBe('very-secret');
  });

  it('refuses empty credentials, naming the field', () => {
    expect(() => new Token('', 's')).toThrow(/appId/);
    expect(() => new Token('a', '  ')).toThrow(/secret/);
  });

  it('reads credentials from the environment', () => {
    expect(Token.fromEnv({ QQ_BOT_APP_ID: 'a', QQ_BOT_SECRET: 's' })?.appId).toBe('a');
    expect(Token.fromEnv({ QQ_BOT_APP_ID: 'a' })).toBeUndefined();
  });
});
