import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { AuthenticationError, Client, FatalGatewayError, Intents, Token, createLogger } from '@bot/client';

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

describe('intents the platform refuses (close 4014), with no error() handler', () => {
  it('are logged once, under the start logger like a wrong secret, and reject start()', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000 }); // grants the default intents only
    try {
      const { log, lines } = recordingLogger();
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(log)
        .eventHandler({ messageCreate: () => undefined });
      const failure = await client.start().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FatalGatewayError);
      // The manager also logs its own step (`shards`: shutting every shard down); the failure, once.
      const reports = lines.filter((line) => line.message === (failure as Error).message);
      expect(reports).toEqual([{ level: 'ERROR', name: 'start', message: (failure as Error).message }]);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });
});
