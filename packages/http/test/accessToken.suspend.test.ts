/**
 * A token's expiry is set by the platform in real time, and real time goes on while the machine is
 * suspended or its VM paused, when the steady clock stands still. The provider counts a token's
 * life on both clocks from its request, and takes it as due for refresh or expired when either says
 * so: the steady clock against a wall clock stepped back, the wall clock across a suspend.
 * (`vi.setSystemTime` without advancing timers moves the wall clock alone, as a suspend does.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccessTokenProvider, Token, createLogger, type BotLogger } from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';
import { until } from './support/restFixture.js';

const HOUR = 3_600_000;
const LIFETIME = 7200 * 1000;

/** A logger that prints nothing and keeps each warning's text. */
function warningLogger(): { logger: BotLogger; warnings: string[] } {
  const warnings: string[] = [];
  const logger = createLogger('test', 0);
  logger.settings.type = 'hidden';
  logger.attachTransport((record) => {
    if (record['_meta']?.logLevelName === 'WARN') warnings.push(JSON.stringify(record));
  });
  return { logger, warnings };
}

describe('AccessTokenProvider across a suspend', () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await FakePlatform.start();
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 10 * HOUR });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await platform.stop();
  });

  const provider = (options: { logger?: BotLogger; timeout?: number } = {}) =>
    new AccessTokenProvider(new Token('app-1', 'the-secret'), {
      tokenUrl: platform.tokenUrl,
      logger: options.logger ?? createLogger('test', 7),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    });

  it('no longer serves a 2 h token after an hour of use and 3 h suspended: the next call fetches a fresh one', async () => {
    const tokens = provider();
    await expect(tokens.get()).resolves.toBe('token-1');
    vi.advanceTimersByTime(HOUR);
    expect(tokens.current()).toBe('token-1');

    vi.setSystemTime(Date.now() + 3 * HOUR); // suspended: the steady clock stood still
    expect(tokens.current()).toBeUndefined();
    await expect(tokens.get()).resolves.toBe('token-2');
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it('refreshes in the background once its refresh point has passed in suspended time', async () => {
    const tokens = provider();
    await tokens.get();
    vi.setSystemTime(Date.now() + LIFETIME - 40_000); // past the refresh point, short of the last 5 s

    await expect(tokens.get()).resolves.toBe('token-1');
    await until(() => tokens.current() === 'token-2');
    expect(platform.tokenRequests).toHaveLength(2);
  });

  it('still refreshes at its refresh point in real time after the wall clock stepped back', async () => {
    const tokens = provider();
    await tokens.get();
    vi.setSystemTime(Date.now() - 3 * HOUR);
    vi.advanceTimersByTime(LIFETIME - 51_000);
    await expect(tokens.get()).resolves.toBe('token-1');
    expect(platform.tokenRequests).toHaveLength(1);

    vi.advanceTimersByTime(1_000);
    await expect(tokens.get()).resolves.toBe('token-1');
    await until(() => tokens.current() === 'token-2');
  });

  it('reports expiresAt as the wall-clock time of its request plus its lifetime, unmoved by later steps', async () => {
    const tokens = provider();
    const requestedAt = Date.now();
    await tokens.get();
    expect(tokens.expiresAt).toBe(requestedAt + LIFETIME);

    vi.advanceTimersByTime(1_234.5);
    expect(tokens.expiresAt).toBe(requestedAt + LIFETIME);
    vi.setSystemTime(Date.now() + HOUR);
    expect(tokens.expiresAt).toBe(requestedAt + LIFETIME);
    vi.setSystemTime(Date.now() - 2 * HOUR);
    expect(tokens.expiresAt).toBe(requestedAt + LIFETIME);
  });

  it('says the token is no longer served when a background refresh fails after its serving time ran out', async () => {
    const { logger, warnings } = warningLogger();
    const tokens = provider({ logger, timeout: 300 });
    await tokens.get();
    vi.advanceTimersByTime(LIFETIME - 50_000); // the refresh point
    platform.tokenAnswer = { hang: true };
    await expect(tokens.get()).resolves.toBe('token-1');
    await until(() => platform.tokenRequests.length === 2);
    vi.advanceTimersByTime(49_000); // while the refresh hangs, past the last 5 s the token is served

    await until(() => warnings.length === 1);
    expect(warnings[0]).toContain('refresh failed');
    expect(warnings[0]).not.toContain('stays in use');
    expect(warnings[0]).toContain('no longer served');
  });

  it('says until when the token stays in use when a background refresh fails in time', async () => {
    const { logger, warnings } = warningLogger();
    const tokens = provider({ logger });
    const requestedAt = Date.now();
    await tokens.get();
    vi.advanceTimersByTime(LIFETIME - 50_000);
    platform.tokenAnswer = { status: 503, body: { code: 503, message: 'token service down' } };
    await tokens.get();

    await until(() => warnings.some((w) => w.includes('refresh failed')));
    const servedUntil = new Date(requestedAt + LIFETIME - 5_000).toISOString();
    expect(warnings.find((w) => w.includes('refresh failed'))).toContain(`stays in use until ${servedUntil}`);
  });
});
