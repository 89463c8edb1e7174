import { onTestFinished } from 'vitest';
import { Emulator } from '@bot/testing';
import { BotApi, createLogger, RestClient, Token } from '@bot/client';

/** An emulator and a quiet REST client for it, both closed after the test. */
export async function emulatorAndApi(): Promise<{ emulator: Emulator; api: BotApi }> {
  const emulator = await Emulator.start({ grantedIntents: 'all' });
  onTestFinished(() => emulator.stop());
  const logger = createLogger('test', 0);
  logger.settings.type = 'hidden';
  const rest = new RestClient({
    token: new Token(emulator.appId, emulator.secret),
    baseUrl: emulator.restUrl,
    tokenUrl: emulator.tokenUrl,
    logger,
  });
  onTestFinished(() => rest.destroy());
  return { emulator, api: new BotApi(rest) };
}
