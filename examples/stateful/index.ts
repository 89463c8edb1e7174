/**
 * stateful: a bot that remembers. It counts every message per person, keeps the counts and its
 * start time in the client's typed data map (`defineKey`), and answers `!ping`, `!uptime`,
 * `!stats` and `!help` in guild channels (when @-mentioned), groups and C2C chats.
 *
 *   pnpm example stateful
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it runs on the QQ platform (QQ_BOT_SANDBOX=1 for the
 * sandbox) until Ctrl-C. Without them it starts the embedded emulator, plays a short exchange in
 * all three scenes, prints the transcript and exits. The playground (`pnpm start`) runs this same
 * bot with you typing the users' messages.
 */
import { Client } from '@bot/client';
import {
  Conversation,
  Platform,
  c2cScene,
  groupScene,
  guildScene,
  runClient,
  runMain,
} from '../support/index.js';
import { STATS_BOT_INTENTS, withStatsBot } from './StatsBot.js';

runMain(async () => {
  const platform = await Platform.connect({ grantedIntents: STATS_BOT_INTENTS.bits });
  console.log(`stateful: connecting to ${platform.describe()}`);

  const client = await withStatsBot(platform.configure(Client.builder(platform.token, STATS_BOT_INTENTS)));

  await runClient(platform, client, {
    start: () => client.start(),
    script: async (emulator) => {
      const chat = new Conversation(emulator);
      const guild = guildScene(emulator);
      const group = groupScene(emulator);
      const c2c = c2cScene(emulator);
      await chat.say(guild, '!help');
      await chat.say(guild, '!ping');
      await chat.say(group, '!uptime');
      await chat.say(c2c, '!stats');
      await chat.say(group, '!dance');
      // Alice's third message: the count is per person, kept across commands.
      await chat.say(guild, '!stats');
    },
  });
});
