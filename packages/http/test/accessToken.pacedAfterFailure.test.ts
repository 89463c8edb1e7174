import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AccessTokenProvider,
  ApiError,
  AuthenticationError,
  ClientDestroyedError,
  Token,
  createLogger,
} from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';
import { settle } from './support/restFixture.js';

// A token endpoint that refuses the credentials (a secret reset on the platform while the bot
// runs) or is down must not be asked once per call: a bot handling a hundred events a second
// would send it a request after every answer. After a failed fetch, the next waits out a second.

const TIMERS = ['setTimeout', 'clearTimeout', 'Date', 'performance'] as const;
const REFUSED = { status: 200, body: { code: 100016, message: 'invalid appid or secret' } };

describe('token fetches after one failed', () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await FakePlatform.start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await platform.stop();
  });

  const provider = (signal?: AbortSignal) =>
    new AccessTokenProvider(new Token('app-1', 'the-secret'), {
      tokenUrl: platform.tokenUrl,
      logger: createLogger('test', 7),
      ...(signal === undefined ? {} : { signal }),
    });

  it('go out at most once a second while the credentials are refused; callers meanwhile wait for the next', async () => {
    platform.tokenAnswer = REFUSED;
    const tokens = provider();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    await expect(tokens.get()).rejects.toBeInstanceOf(AuthenticationError);
    const waiting = Array.from({ length: 10 }, () => tokens.get().catch((e: unknown) => e));
    await settle();
    expect(platform.tokenRequests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_000);
    const errors = await Promise.all(waiting);
    expect(platform.tokenRequests).toHaveLength(2);
    for (const error of errors) expect(error).toBeInstanceOf(AuthenticationError);
  });

  it('go out at most once a second while the endpoint is down, and serve every caller once it is back', async () => {
    platform.tokenAnswer = { status: 503, body: { message: 'busy' } };
    const tokens = provider();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    await expect(tokens.get()).rejects.toBeInstanceOf(ApiError);
    platform.tokenAnswer = undefined;
    const waiting = [tokens.get(), tokens.get()];
    await settle();
    expect(platform.tokenRequests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    const [first, second] = await Promise.all(waiting);
    expect(first).toMatch(/^token-/);
    expect(second).toBe(first);
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it("lets a caller's signal, and the provider's end, stop the wait at once", async () => {
    platform.tokenAnswer = REFUSED;
    const lifetime = new AbortController();
    const tokens = provider(lifetime.signal);
    vi.useFakeTimers({ toFake: [...TIMERS] });
    await expect(tokens.get()).rejects.toBeInstanceOf(AuthenticationError);

    const caller = new AbortController();
    const givenUp = tokens.get({ signal: caller.signal }).catch((e: unknown) => e);
    const ended = tokens.get().catch((e: unknown) => e);
    caller.abort(new Error('caller gave up'));
    expect(await givenUp).toMatchObject({ message: 'caller gave up' });
    lifetime.abort();
    expect(await ended).toBeInstanceOf(ClientDestroyedError);
    expect(vi.getTimerCount()).toBe(0);
    expect(platform.tokenRequests).toHaveLength(1);
  });

  it('wait a second at most, even after the wall clock stepped back an hour', async () => {
    platform.tokenAnswer = REFUSED;
    const tokens = provider();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    await expect(tokens.get()).rejects.toBeInstanceOf(AuthenticationError);
    platform.tokenAnswer = undefined;
    vi.setSystemTime(Date.now() - 3_600_000);
    const waiting = tokens.get();
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(waiting).resolves.toMatch(/^token-/);
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it('wait a whole second, even after the wall clock stepped forward an hour', async () => {
    platform.tokenAnswer = REFUSED;
    const tokens = provider();
    vi.useFakeTimers({ toFake: [...TIMERS] });
    await expect(tokens.get()).rejects.toBeInstanceOf(AuthenticationError);
    platform.tokenAnswer = undefined;
    vi.setSystemTime(Date.now() + 3_600_000);
    const waiting = tokens.get();
    await settle();
    await vi.advanceTimersByTimeAsync(990);
    await settle();
    expect(platform.tokenRequests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10);
    await expect(waiting).resolves.toMatch(/^token-/);
    expect(platform.tokenRequests).toHaveLength(2);
  });
});
