/**
 * ping: the smallest useful bot. It answers `!ping` with `Pong!` wherever it is talked to: in
 * guild channels (when @-mentioned), in groups, and in one-to-one (C2C) chats.
 *
 *   pnpm example ping
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it runs on the QQ platform (QQ_BOT_SANDBOX=1 for the
 * sandbox) until Ctrl-C. Without them it starts the embedded emulator, plays a short exchange
 * against it, prints the transcript and exits.
 */
import {
  Client,
  Intents,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
  type Ready,
} from '@bot/client';
import {
  Conversation,
  Platform,
  c2cScene,
  groupScene,
  guildScene,
  runClient,
  runMain,
} from './support/index.js';

class PingBot implements EventHandler {
  ready(ctx: Context, ready: Ready): void {
    ctx.log.info(`logged in as ${ready.user.username} on shard ${ctx.shard.id}`);
  }

  // `cleanContent` drops the bot's mention and trims: `<@!bot> !ping` reads `!ping`.
  async messageCreate(_ctx: Context, message: Message): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply('Pong!');
  }

  async groupMessageCreate(_ctx: Context, message: GroupMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply('Pong!');
  }

  async c2cMessageCreate(_ctx: Context, message: C2CMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply('Pong!');
  }
}

runMain(async () => {
  // Guild @-messages come with the default intents; groups and C2C need GROUP_AND_C2C_EVENT.
  const intents = Intents.default().withGroupAndC2cEvent();
  const platform = await Platform.connect({ grantedIntents: intents.bits });
  console.log(`ping: connecting to ${platform.describe()}`);

  const client = await platform
    .configure(Client.builder(platform.token, intents))
    .eventHandler(new PingBot());

  await runClient(platform, client, {
    start: () => client.start(),
    script: async (emulator) => {
      const chat = new Conversation(emulator);
      await chat.say(guildScene(emulator), '!ping');
      await chat.say(groupScene(emulator), '!ping');
      await chat.say(c2cScene(emulator), '!ping');
    },
  });
});
