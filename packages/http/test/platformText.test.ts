import { describe, expect, it } from 'vitest';
import {
  AccessTokenProvider,
  ApiError,
  AuthenticationError,
  Token,
  createLogger,
  type BotLogger,
} from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// Text the platform (or whatever answers in its place) sends is quoted in errors and log lines:
// bounded, and with no character that could end a log line or forge another one.

const FORGED = `${'x'.repeat(1_000_000)}\nFAKE 2026-01-01 ERROR forged line`;
/** The same, short enough for the token endpoint's 64 KiB cap on its answers. */
const FORGED_TOKEN_ANSWER = `${'x'.repeat(60_000)}\nFAKE 2026-01-01 ERROR forged line`;

/** A logger that prints nothing and keeps every line it is given, as JSON. */
function recordingLogger(): { logger: BotLogger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger('test', 0);
  logger.settings.type = 'hidden';
  logger.attachTransport((record) => {
    lines.push(JSON.stringify(record));
  });
  return { logger, lines };
}

describe('platform text in errors and log lines', () => {
  const fixture = useRestFixture();

  it('bounds and escapes the message and trace id of an error answer in the ApiError', async () => {
    fixture.platform.handler = () => ({
      status: 400,
      body: { code: 50006, message: FORGED, trace_id: 'abc\nFAKE' },
      headers: { 'x-tps-trace-id': '' },
    });
    const error = await fixture
      .client()
      .request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: 'g' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const message = (error as Error).message;
    expect(message.length).toBeLessThan(1024);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toContain('code 50006');
    expect((error as ApiError).traceId).toBe('abc\\nFAKE');
  });

  it('bounds and escapes a refusal of the token endpoint in the AuthenticationError', async () => {
    fixture.platform.tokenAnswer = { status: 401, body: { code: 100016, message: FORGED_TOKEN_ANSWER } };
    const tokens = new AccessTokenProvider(new Token('1024', 's'), {
      tokenUrl: fixture.platform.tokenUrl,
      logger: createLogger('test', 7),
    });
    const error = await tokens.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const message = (error as Error).message;
    expect(message.length).toBeLessThan(1024);
    expect(message).not.toMatch(/[\r\n]/);
    expect((error as AuthenticationError).platformMessage).not.toMatch(/[\r\n]/);
  });

  it("bounds and escapes the token endpoint's outage in its error and its warning", async () => {
    fixture.platform.tokenAnswer = { status: 503, body: { code: 503, message: FORGED_TOKEN_ANSWER } };
    const { logger, lines } = recordingLogger();
    const tokens = new AccessTokenProvider(new Token('1024', 's'), {
      tokenUrl: fixture.platform.tokenUrl,
      logger,
    });
    const error = await tokens.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message.length).toBeLessThan(1024);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
    const warning = lines.find((line) => line.includes('token endpoint unavailable'));
    expect(warning).toBeDefined();
    expect(warning!.length).toBeLessThan(2048);
    expect(warning).toContain('503');
    expect(JSON.parse(warning!)['0']).not.toMatch(/[\r\n]/);
  });
});
