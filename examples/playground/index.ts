/**
 * The playground: the stateful example bot (with `!stream`, a streamed answer, and `!buttons`, a
 * keyboard whose buttons `/press` taps), the embedded emulator, and you as its users. A prompt
 * shows the scene you are in (`guild #general`, `group Book Club`, `c2c Judy`); `/guild`,
 * `/group` and `/c2c` switch scene, `/help` lists the commands, `/quit` leaves (after printing
 * the replies still on their way, waiting 3 s at most), and any other line is sent to the bot as
 * the scene's user (in guilds as an @-mention of the bot). The bot's replies are printed as the
 * emulator receives them.
 *
 *   pnpm start        (or: pnpm example playground)
 *
 * Without a terminal (CI, a pipe) it plays a short scripted session through every scene and
 * command instead, prints it, and exits: 0 when every message was answered, 1 otherwise.
 * Everything runs offline; no credentials are read.
 */
import { Client } from '@bot/client';
import { Platform, runClient, runMain } from '../support/index.js';
import { runInteractive } from './interactive.js';
import { Playground } from './Playground.js';
import { PLAYGROUND_BOT_INTENTS, withPlaygroundBot } from './PlaygroundBot.js';
import { runScripted } from './scripted.js';

runMain(async () => {
  const platform = await Platform.embedded({ grantedIntents: PLAYGROUND_BOT_INTENTS.bits });
  const client = await withPlaygroundBot(
    platform.configure(Client.builder(platform.token, PLAYGROUND_BOT_INTENTS)),
  );

  await runClient(platform, client, {
    start: () => client.start(),
    script: async (emulator) => {
      const playground = new Playground(emulator);
      if (process.stdin.isTTY) await runInteractive(playground, emulator);
      else await runScripted(playground, emulator);
    },
  });
});
