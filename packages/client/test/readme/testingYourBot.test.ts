// The "Testing your own bot" example of the testing README, as it is printed there (snippets.test
// checks that the two read the same).
import { expect, it } from 'vitest';
import { Client, Intents, Token, type EventHandler } from '@bot/client';
import { Emulator } from '@bot/testing';

const bot: EventHandler = {
  async groupMessageCreate(_ctx, message) {
    if (message.cleanContent === '!ping') await message.reply('pong');
  },
};

it('answers !ping in a group', async () => {
  const intents = Intents.default().withGroupAndC2cEvent();
  const emu = await Emulator.start({ grantedIntents: intents.bits }); // grant what the bot asks for
  let ready!: () => void;
  const shardsReady = new Promise<void>((resolve) => (ready = resolve));
  const client = await Client.builder(new Token(emu.appId, emu.secret), intents)
    .baseUrl(emu.restUrl, emu.tokenUrl) // REST and the token endpoint; REST names the gateway
    .eventHandler(bot)
    .eventHandler({ shardsReady: () => ready() });
  const running = client.start(); // settles once shutdown() is done
  await shardsReady;

  emu.simulate.groupAtMessage({ content: '!ping' });
  const sent = await emu.recorder.waitFor(
    (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
  );
  expect(sent.kind === 'rest' && sent.body).toMatchObject({ content: 'pong' });

  await client.shutdown();
  await running;
  await emu.stop();
});
