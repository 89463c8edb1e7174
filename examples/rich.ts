/**
 * rich: what bots built around a model need. In groups and C2C chats it answers
 *
 *   !ask <question>   a streamed answer from an async generator standing in for a model (C2C shows
 *                     it growing; groups, which have no streaming, get one message at the end)
 *   !file             uploads a 20 MiB file in parts with a progress bar, then sends it (as
 *                     file_type 4, which the platform has not opened to every bot yet: a refusal
 *                     is reported as a typed error, and an image or video goes the same way)
 *   !menu             a message with buttons; a press is acknowledged and answered by event_id
 *
 *   pnpm example rich
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it runs on the QQ platform (QQ_BOT_SANDBOX=1 for the
 * sandbox) until Ctrl-C. Without them it starts the embedded emulator, plays each feature against
 * it, prints the transcript and exits.
 */
import { Client } from '@bot/client';
import { progressBar } from './rich/progressBar.js';
import { RICH_BOT_INTENTS, RichBot } from './rich/RichBot.js';
import { playRichScript } from './rich/script.js';
import { Platform, runClient, runMain } from './support/index.js';

runMain(async () => {
  const platform = await Platform.connect({ grantedIntents: RICH_BOT_INTENTS.bits });
  console.log(`rich: connecting to ${platform.describe()}`);

  const terminal = process.stdout.isTTY === true;
  const progress = (label: string) => progressBar((text) => process.stdout.write(text), terminal, label);
  // Ctrl-C stops an upload at once, before the client shuts down (which would stop it too).
  const uploads = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const)
    process.once(name, () => uploads.abort(new Error(`${name}: upload cancelled`)));
  const client = await platform
    .configure(Client.builder(platform.token, RICH_BOT_INTENTS))
    .eventHandler(new RichBot({ progress, signal: uploads.signal }));

  await runClient(platform, client, {
    start: () => client.start(),
    script: (emulator) => playRichScript(emulator, console.log),
  });
});
