import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenProvider, RestClient, Token, createLogger, type BotLogger } from '@bot/http';
import { FakePlatform } from './support/fakePlatform.js';

// docs/protocol.md §1.2: an unreadable `expires_in` is warned about by its type and a bounded
// preview; the token is still used, with the shortest lifetime.

/** A logger that prints nothing and keeps the text of each warning. */
function warningLogger(): { logger: BotLogger; warnings: string[] } {
  const warnings: string[] = [];
  const logger = createLogger('test', 0);
  logger.settings.type = 'hidden';
  logger.attachTransport((record) => {
    if (record['_meta']?.logLevelName === 'WARN') warnings.push(String(record['0']));
  });
  return { logger, warnings };
}

const DEEP = '['.repeat(20_000) + ']'.repeat(20_000);

describe('a token answer whose expires_in is no number', () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await FakePlatform.start();
  });
  afterEach(async () => {
    await platform.stop();
  });

  it('serves the first REST call when expires_in is a deeply nested array (no RangeError)', async () => {
    platform.tokenAnswer = { raw: `{"access_token":"tok","expires_in":${DEEP}}` };
    platform.handler = () => ({ body: { id: 'u1' } });
    const { logger, warnings } = warningLogger();
    const rest = new RestClient({
      token: new Token('app-1', 'the-secret'),
      baseUrl: platform.baseUrl,
      tokenUrl: platform.tokenUrl,
      logger,
    });
    try {
      await expect(rest.request({ method: 'GET', route: '/users/@me' })).resolves.toEqual({ id: 'u1' });
      expect(platform.requests[0]?.headers.authorization).toBe('QQBot tok');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/expires_in an array \(\[\[\[/);
      expect(warnings[0]!.length).toBeLessThan(200);
    } finally {
      rest.destroy();
    }
  });

  it.each([
    ['an object', { deep: { er: 1 } }, /expires_in an object \(\{"deep"/],
    ['a long text', 'x'.repeat(5000), /expires_in a string of 5000 characters \("x+…\)/],
    ['a line break', 'soon\nFAKE LINE', /expires_in a string \("soon\\nFAKE LINE"\)/],
    ['null', null, /expires_in null;/],
    ['a boolean', true, /expires_in a boolean \(true\)/],
  ])('describes %s by its type and a bounded preview', async (_name, expiresIn, pattern) => {
    platform.tokenAnswer = { body: { access_token: 'tok', expires_in: expiresIn } };
    const { logger, warnings } = warningLogger();
    const tokens = new AccessTokenProvider(new Token('app-1', 'the-secret'), {
      tokenUrl: platform.tokenUrl,
      logger,
    });
    await expect(tokens.get()).resolves.toBe('tok');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(pattern);
    expect(warnings[0]!.length).toBeLessThan(200);
    expect(warnings[0]).not.toContain('\n');
  });
});
