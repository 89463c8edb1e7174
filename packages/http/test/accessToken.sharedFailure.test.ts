import { createServer, type AddressInfo } from 'node:net';
import { types } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AccessTokenProvider,
  ApiError,
  AuthenticationError,
  BotError,
  createLogger,
  NetworkError,
  TimeoutError,
  Token,
} from '@bot/http';
import { TokenEndpoint } from '../src/auth/TokenEndpoint.js';
import { AUTHENTICATION_REMEDY } from '../src/errors/AuthenticationError.js';
import { useEmulatorRest } from './support/emulatorRest.js';

// Concurrent callers share one token fetch. When it fails, each must still be shown the line of
// its own code that made the call, not the first caller's, in an error that is as much a real
// error as the one the fetch failed with.

/** The platform's code for a wrong AppID or AppSecret, which the emulator answers with. */
const INVALID_CREDENTIALS = 100016;

/** What three callers of one provider, waiting on its one fetch, are given. */
async function failuresOfThreeCallers(tokens: AccessTokenProvider): Promise<BotError[]> {
  const outcomes = await Promise.all(
    [1, 2, 3].map(() =>
      tokens.get().then(
        () => undefined,
        (e: unknown) => e,
      ),
    ),
  );
  return outcomes as BotError[];
}

/**
 * Checks that each caller's error is its own object, of `type`, and a built-in error at runtime:
 * what `util.types.isNativeError`, `Object.prototype.toString` and a structured clone (a
 * `postMessage` to a worker) see.
 */
function expectOwnNativeErrors(errors: unknown[], type: abstract new (...args: never[]) => BotError): void {
  expect(new Set(errors).size).toBe(errors.length);
  for (const error of errors) {
    expect(error).toBeInstanceOf(type);
    expect(types.isNativeError(error)).toBe(true);
    expect(Object.prototype.toString.call(error)).toBe('[object Error]');
    const clone = structuredClone(error) as Error;
    expect(clone.message).toBe((error as Error).message);
    expect(clone.message).not.toBe('');
    expect((error as Error).stack).toMatch(new RegExp(`^${type.name}: `));
  }
}

/** A token URL on 127.0.0.1 where nothing listens: a port just given back by a closed server. */
async function closedTokenUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return `http://127.0.0.1:${port}/app/getAppAccessToken`;
}

describe('a shared token fetch that the platform refuses', () => {
  const setup = useEmulatorRest();

  it("shows each REST caller its own call site, not the first caller's", async () => {
    const api = setup.client({ token: new Token(setup.emulator.appId, 'not-the-secret') });
    async function profileFromFirstCaller(): Promise<unknown> {
      return await api.users.me();
    }
    async function guildsFromSecondCaller(): Promise<unknown> {
      return await api.users.guilds();
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

  it('gives every waiting caller a native AuthenticationError of its own with the platform’s facts', async () => {
    const tokens = new AccessTokenProvider(new Token(setup.emulator.appId, 'not-the-secret'), {
      tokenUrl: setup.emulator.tokenUrl,
      logger: createLogger('test', 7),
    });
    const errors = await failuresOfThreeCallers(tokens);
    expectOwnNativeErrors(errors, AuthenticationError);
    const traceIds = new Set<unknown>();
    for (const error of errors) {
      expect(error).toMatchObject({
        kind: 'authentication',
        name: 'AuthenticationError',
        code: INVALID_CREDENTIALS,
        platformMessage: 'invalid appid or secret',
        traceId: expect.any(String),
        remedy: AUTHENTICATION_REMEDY,
      });
      expect(error.message).toMatch(
        new RegExp(`^authentication failed: code ${INVALID_CREDENTIALS}: invalid appid or secret`),
      );
      expect(error.message).toContain(AUTHENTICATION_REMEDY);
      traceIds.add((error as AuthenticationError).traceId);
    }
    expect(traceIds.size).toBe(1);
  });
});

describe('a shared token fetch that fails without an answer', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives every waiting caller a native NetworkError of its own with the same reason and cause', async () => {
    const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
      tokenUrl: await closedTokenUrl(),
      logger: createLogger('test', 7),
    });
    const errors = (await failuresOfThreeCallers(tokens)) as NetworkError[];
    expectOwnNativeErrors(errors, NetworkError);
    const [first] = errors;
    for (const error of errors) {
      expect(error).toMatchObject({
        kind: 'network',
        name: 'NetworkError',
        method: 'POST',
        reason: 'ECONNREFUSED',
      });
      expect(error.message).toBe(first!.message);
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
      expect(error.cause).toBe(first!.cause);
    }
  });

  const failures: [string, () => BotError][] = [
    ['TimeoutError', () => new TimeoutError('POST', '/app/getAppAccessToken', 10_000)],
    [
      'ApiError',
      () =>
        new ApiError({
          status: 503,
          code: 503,
          errCode: undefined,
          message: 'token endpoint answered 503',
          traceId: 'trace-1',
          method: 'POST',
          route: '/app/getAppAccessToken',
        }),
    ],
  ];
  it.each(failures)(
    'gives every waiting caller a native %s of its own with the same fields',
    async (_, failure) => {
      const original = failure();
      vi.spyOn(TokenEndpoint.prototype, 'fetch').mockRejectedValue(original);
      const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
        logger: createLogger('test', 7),
      });
      const errors = await failuresOfThreeCallers(tokens);
      expectOwnNativeErrors(errors, original.constructor as abstract new (...args: never[]) => BotError);
      for (const error of errors) {
        expect(error).not.toBe(original);
        expect({ ...error }).toEqual({ ...original });
        expect(error.message).toBe(original.message);
      }
    },
  );

  it('gives each caller the stack as text where the runtime keeps it behind an accessor of the original', async () => {
    // Node.js 21 and later keep an error's stack behind an accessor that answers for that error
    // only: a copy of the accessor would read undefined.
    const original = new AuthenticationError(INVALID_CREDENTIALS, 'invalid appid or secret', 'trace-1');
    const text = original.stack;
    const branded = new WeakSet<object>([original]);
    Object.defineProperty(original, 'stack', {
      configurable: true,
      enumerable: false,
      get(this: object): string | undefined {
        return branded.has(this) ? text : undefined;
      },
    });
    vi.spyOn(TokenEndpoint.prototype, 'fetch').mockRejectedValue(original);
    const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
      logger: createLogger('test', 7),
    });
    const errors = await failuresOfThreeCallers(tokens);
    for (const error of errors) {
      expect(error).not.toBe(original);
      expect(error.stack).toMatch(/^AuthenticationError: authentication failed: code 100016/);
    }
  });
});
