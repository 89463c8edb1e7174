/**
 * The community SDK, unmodified. It hard-codes the platform's hosts, so its axios instance is
 * pointed at the stream server the way the emulator's fidelity test does it.
 */
import { Bot, ReceiverMode } from 'qq-official-bot';
import { APP_ID, SECRET, type IngestProbe } from './wiring.js';

/** Starts the bot; it counts an event at its `message` or `notice` event. */
export async function connect({ job, count, ready }: IngestProbe): Promise<void> {
  const bot = new Bot({
    appid: APP_ID,
    secret: SECRET,
    intents: ['GUILDS', 'GUILD_MEMBERS', 'PUBLIC_GUILD_MESSAGES', 'GROUP_AND_C2C_EVENT', 'INTERACTION'],
    mode: ReceiverMode.WEBSOCKET,
    logLevel: 'off',
  });
  bot.request.defaults.baseURL = job.restUrl;
  bot.request.interceptors.request.use((config) => {
    if (config.url === 'https://bots.qq.com/app/getAppAccessToken') config.url = job.tokenUrl;
    return config;
  });
  // Every event surfaces as `message` or `notice` before its more specific names.
  bot.on('message', count);
  bot.on('notice', count);
  // `start()` resolves once the session is up (its READY handled).
  await bot.start();
  ready();
}
