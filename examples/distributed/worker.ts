/**
 * distributed/worker: handles the bot's events, fed from the Redis Stream the gateway processes
 * (`gateway.ts`) publish to. Run as many as the load needs; each event goes to one of them, is
 * acknowledged once its handlers have finished, and is taken over by another worker within
 * seconds if this one dies first. A worker keeps its name in the group across restarts (the host
 * name; give each of several workers on one host its own WORKER_ORDINAL), so a restarted one
 * first finishes what it had left. Handlers, `Context` and replies are the same as in a
 * socket-fed bot.
 *
 *   QQ_BOT_APP_ID=… QQ_BOT_SECRET=… REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/distributed/worker.ts
 *
 * `index.ts` starts one of these and a gateway process, against the embedded emulator without credentials.
 */
import {
  Client,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
} from '@bot/client';
import { connectRedis, RedisEventBroker } from '@bot/gateway/redis';
import { Platform, runMain, untilShutdownSignal } from '../support/index.js';
import { DISTRIBUTED_ENV, GATEWAY_INTENTS, requiredEnv } from './deployment.js';
import { announceReady, untilOrphaned } from './ExampleProcess.js';

/** `shard 1 of 2, worker 4242`: where an event was received and where it was handled. */
function origin(ctx: Context): string {
  return `shard ${ctx.shard.id} of ${ctx.shard.total}, worker ${process.pid}`;
}

class PingBot implements EventHandler {
  async messageCreate(ctx: Context, message: Message): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(`Pong! (${origin(ctx)})`);
  }

  async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(`Pong! (${origin(ctx)})`);
  }

  async c2cMessageCreate(ctx: Context, message: C2CMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(`Pong! (${origin(ctx)})`);
  }
}

runMain(async () => {
  const platform = Platform.remote();
  const redis = await connectRedis(requiredEnv(DISTRIBUTED_ENV.redisUrl));
  const client = await platform
    .configure(Client.builder(platform.token, GATEWAY_INTENTS))
    .eventHandler(new PingBot());
  const broker = new RedisEventBroker(redis, { appId: platform.token.appId, logger: platform.logger });

  const ordinal = process.env[DISTRIBUTED_ENV.workerOrdinal];
  const consumer = broker.consumer({
    logger: platform.logger,
    ...(ordinal === undefined || ordinal === '' ? {} : { ordinal: Number(ordinal) }),
  });
  // The consumer's name is the host name (or host-ordinal): the same after a restart.
  console.log(`worker ${process.pid}: Redis consumer "${consumer.consumer}" of consumer group "workers"`);
  const running = client.startFrom(consumer);
  announceReady();
  const watch = new AbortController();
  await Promise.race([untilShutdownSignal(), untilOrphaned(watch.signal), running]).finally(() =>
    watch.abort(),
  );
  await client.shutdown(); // stops the consumer: events in flight finish and are acknowledged first
  redis.disconnect();
  await running;
});
