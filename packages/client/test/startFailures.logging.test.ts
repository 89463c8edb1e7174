import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { AuthenticationError, Client, Intents, Token, createLogger } from '@bot/client';

/** A logger printing nothing that keeps every WARN and above: its logger name and first argument. */
function recordingLogger() {
  const lines: Array<{ level: string; name: unknown; message: unknown }> = [];
  const log = createLogger('test', 0);
  log.settings.type = 'hidden';
  log.attachTransport((record) => {
    const entry = record as Record<string, unknown> & {
      _meta: { logLevelId: number; logLevelName: string; name?: unknown };
    };
    if (entry._meta.logLevelId >= 4) {
      lines.push({ level: entry._meta.logLevelName, name: entry._meta.name, message: entry['0'] });
    }
  });
  return { log, lines };
}

describe('a wrong secret, with no error() handler', () => {
  it('is logged once, under the start logger, saying to check the credentials, and rejects start()', async () => {
    const emulator = await Emulator.start();
    try {
      const { log, lines } = recordingLogger();
      const client = await Client.builder(new Token(emulator.appId, 'not the secret'), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(log)
        .eventHandler({ messageCreate: () => undefined });
      const failure = await client.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthenticationError);
      expect((failure as AuthenticationError).message).toMatch(/check the AppID and AppSecret/);
      expect(lines).toEqual([{ level: 'ERROR', name: 'start', message: (failure as Error).message }]);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });
});
