/**
 * distributed/gateway: one of several gateway processes of a bot. It runs its share of the shards,
 * paces identifies through Redis together with the other processes, keeps its sessions in Redis
 * and publishes every event to a Redis Stream for the workers (`worker.ts`) to handle.
 *
 *   QQ_BOT_APP_ID=… QQ_BOT_SECRET=… REDIS_URL=redis://127.0.0.1:6379 GATEWAY_PROCESSES=3 GATEWAY_ORDINAL=0 \
 *     node --import tsx examples/distributed/gateway.ts
 *
 * In a Kubernetes StatefulSet leave GATEWAY_ORDINAL out: the pod name's ordinal picks the range.
 * SIGTERM (a rolling deploy) hands the sessions off, so the next pod resumes instead of identifying.
 */
import { RestClient } from '@bot/http';
import { gatewayInfoFromRest, identifyLimitsFrom, ShardManager } from '@bot/gateway';
import { connectRedis, RedisEventBroker, RedisIdentifyQueue, RedisSessionStore } from '@bot/gateway/redis';
import { Intents } from '@bot/client';
import { Platform, runMain, untilShutdownSignal } from '../support/index.js';
import { DISTRIBUTED_ENV, gatewayOrdinal, requiredEnv, shardRangeOf } from './deployment.js';

runMain(async () => {
  const platform = Platform.remote();
  const appId = platform.token.appId;
  const redis = await connectRedis(requiredEnv(DISTRIBUTED_ENV.redisUrl));
  const rest = new RestClient(platform.restOptions());
  const gateway = gatewayInfoFromRest(rest);
  const info = await gateway.gatewayBot();

  const total = Number(process.env[DISTRIBUTED_ENV.totalShards] ?? info.shards);
  const range = shardRangeOf(gatewayOrdinal(), Number(requiredEnv(DISTRIBUTED_ENV.gatewayProcesses)), total);
  // One connection for sessions and events: a stored sequence number never overtakes a published event.
  const sessionStore = new RedisSessionStore(redis, { appId, logger: platform.logger });
  const broker = new RedisEventBroker(redis, { appId, logger: platform.logger });
  const manager = new ShardManager({
    intents: Intents.default().withGroupAndC2cEvent().bits,
    tokens: rest.tokens,
    gateway,
    identifyQueue: new RedisIdentifyQueue(redis, {
      appId,
      limits: identifyLimitsFrom(info.session_start_limit),
      logger: platform.logger,
    }),
    sessionStore,
    logger: platform.logger,
  });
  manager.on('error', (error, shardId) => platform.logger.error(`shard ${shardId}: ${error.message}`));
  broker.attach(manager);

  platform.logger.info(`running shards ${range.from}–${range.to} of ${total}`);
  const running = manager.startShardRange(range, total);
  await Promise.race([untilShutdownSignal(), running]);

  const sessions = await manager.handoff(); // sessions stay resumable in Redis for the next process
  await broker.publisher.idle();
  sessionStore.close();
  redis.disconnect();
  platform.logger.info(`handed off ${sessions.size} sessions`);
});
