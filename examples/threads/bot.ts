/**
 * The handlers of the threads example, run by a client on each worker thread (never on the main
 * thread): `!where` is answered with the thread and shard that handled it, after some CPU work of
 * the kind that makes a bot want more than one core.
 *
 * The main thread hands every thread the variables of its platform (`handlerData`), so a thread
 * reaches the same QQ platform, sandbox or emulator with the same credentials.
 */
import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { Client, Intents, defineThreadClient, type Context, type Message } from '@bot/client';
import { Platform } from '../support/index.js';

/** A stand-in for real work (rendering, parsing, scoring): a few thousand hashes. */
function busyWork(text: string): string {
  let digest = text;
  for (let round = 0; round < 2_000; round++) digest = createHash('sha256').update(digest).digest('hex');
  return digest.slice(0, 8);
}

export default defineThreadClient(({ index, data }) => {
  const platform = Platform.remote(data as Record<string, string>);
  return platform.configure(Client.builder(platform.token, Intents.default())).eventHandler({
    async messageCreate(ctx: Context, message: Message): Promise<void> {
      if (message.cleanContent !== '!where') return;
      const work = busyWork(message.eventId ?? message.id);
      await message.reply(
        `Handled on worker thread ${index} (thread id ${threadId}), shard ${ctx.shard.id} of ${ctx.shard.total} (work ${work}).`,
      );
    },
  });
});
