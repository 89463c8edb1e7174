/**
 * threads: one bot of four shards on two worker threads, its handlers running on those threads
 * too (a client on each), so they use two cores. The main thread owns the shards' identify queue
 * and session store, and only hears of state changes and errors.
 *
 *   pnpm example threads
 *
 * The handlers live in bot.ts, which each thread loads (`workers(2, { handler })`). With
 * QQ_BOT_APP_ID and QQ_BOT_SECRET set the bot connects to the QQ platform and runs until Ctrl-C.
 * Without them it starts the emulator with 4 shards, sends `!where` in one guild per shard,
 * checks that the thread running that shard answered, and exits.
 */
import { Client, Intents, type ShardsReadyEvent } from '@bot/client';
import type { Emulator } from '@bot/testing';
import { Conversation, Platform, guildScene, runClient, runMain } from '../support/index.js';

const SHARD_COUNT = 4;
const THREADS = 2;

runMain(async () => {
  const platform = await Platform.connect({
    shards: SHARD_COUNT,
    sessionStartLimit: { maxConcurrency: SHARD_COUNT },
  });
  console.log(`threads: ${SHARD_COUNT} shards on ${THREADS} worker threads, on ${platform.describe()}`);
  const client = await platform
    .configure(Client.builder(platform.token, Intents.default()))
    .workers(THREADS, {
      handler: new URL('./bot.ts', import.meta.url),
      // Plain data: the same platform and credentials for every thread.
      handlerData: platform.childEnv(),
    })
    // The main client may keep the lifecycle hooks; the events go to the threads.
    .eventHandler({
      shardsReady(event: ShardsReadyEvent): void {
        console.log(`shards ${event.shardIds.join(', ')} of ${event.total} ready`);
      },
      error(error): void {
        console.error(`error: ${error.message}`);
      },
    });
  await runClient(platform, client, {
    start: () => client.startShards(SHARD_COUNT),
    script: (emulator) => askEveryShard(emulator),
  });
});

/** Sends `!where` in one guild per shard and checks that the thread running it answered. */
async function askEveryShard(emulator: Emulator): Promise<void> {
  const chat = new Conversation(emulator);
  for (let shardId = 0; shardId < SHARD_COUNT; shardId++) {
    const guild = emulator.world.guildOnShard(shardId, SHARD_COUNT);
    const { reply } = await chat.say(guildScene(emulator, { guildId: guild.id }), '!where');
    const thread = shardId % THREADS;
    const expected = `worker thread ${thread} `;
    if (!reply.content.includes(expected) || !reply.content.includes(`shard ${shardId} of ${SHARD_COUNT}`)) {
      throw new Error(`expected shard ${shardId} to be answered on thread ${thread}, got: ${reply.content}`);
    }
    console.log(`✓ shard ${shardId} answered on worker thread ${thread}`);
  }
}
