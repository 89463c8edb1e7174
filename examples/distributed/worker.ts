/**
 * distributed/worker: handles the bot's events, fed from the Redis Stream the gateway processes
 * (`gateway.ts`) publish to. Run as many as the load needs; each event goes to one of them, is
 * acknowledged once every handler has finished, and is taken over by another worker if this one
 * dies first. Handlers, `Context` and replies are the same as in a socket-fed bot.
 *
 *   QQ_BOT_APP_ID=… QQ_BOT_SECRET=… REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/distributed/worker.ts
 */
import {
  Client,
  Intents,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
} from '@bot/client';
import { connectRedis, RedisEventBroker } from '@bot/gateway/redis';
import { Platform, runMain, untilShutdownSignal } from '../support/index.js';
import { DISTRIBUTED_ENV, requiredEnv } from './deployment.js';

class PingBot implements EventHandler {
  async messageCreate(ctx: Context, message: Message): Promise<void> {
    if (message.cleanContent === '!ping')
      await message.reply(`Pong! (shard ${ctx.shard.id}, worker ${process.pid})`);
  }

  async groupMessageCreate(_ctx: Context, message: GroupMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(`Pong! (worker ${process.pid})`);
  }
}

runMain(async () => {
  const platform = Platform.remote();
  const redis = await connectRedis(requiredEnv(DISTRIBUTED_ENV.redisUrl));
  const client = await platform
    .configure(Client.builder(platform.token, Intents.default().withGroupAndC2cEvent()))
    .eventHandler(new PingBot());
  const broker = new RedisEventBroker(redis, { appId: platform.token.appId, logger: platform.logger });

  const running = client.startFrom(broker.consumer({ logger: platform.logger }));
  await Promise.race([untilShutdownSignal(), running]);
  await client.shutdown(); // stops the consumer: events in flight finish and are acknowledged first
  redis.disconnect();
});
