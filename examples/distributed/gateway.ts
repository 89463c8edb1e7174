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
 * `index.ts` starts one of these and a worker, against the embedded emulator without credentials.
 */
import { RestClient } from '@bot/http';
import { gatewayInfoFromRest, identifyLimitsFrom, ShardManager } from '@bot/gateway';
import { connectRedis, RedisEventBroker, RedisIdentifyQueue, RedisSessionStore } from '@bot/gateway/redis';
import { Platform, runMain, untilShardsReady, untilShutdownSignal } from '../support/index.js';
import { DISTRIBUTED_ENV, GATEWAY_INTENTS, gatewayOrdinal, requiredEnv, shardRangeOf } from './deployment.js';
import { announceReady, untilOrphaned } from './ExampleProcess.js';

runMain(async () => {
  const platform = Platform.remote();
  const appId = platform.token.appId;
  const redis = await connectRedis(requiredEnv(DISTRIBUTED_ENV.redisUrl));
  const rest = new RestClient(platform.restOptions());
  const gateway = gatewayInfoFromRest(rest);
  const info = await gateway.gatewayBot();

  const total = Number(process.env[DISTRIBUTED_ENV.totalShards] ?? info.shards);
  const range = shardRangeOf(gatewayOrdinal(), Number(requiredEnv(DISTRIBUTED_ENV.gatewayProcesses)), total);
  const broker = new RedisEventBroker(redis, { appId, logger: platform.logger });
  // Linked to the publisher: a stored sequence number never passes an event not yet in the stream.
  const sessionStore = new RedisSessionStore(redis, {
    appId,
    publisher: broker.publisher,
    logger: platform.logger,
  });
  const manager = new ShardManager({
    intents: GATEWAY_INTENTS.bits,
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
  // Outages (RedisUnavailableError) and, with a lossy maxLength, trimmed ranges arrive here too.
  manager.on('error', (error, shardId) => platform.logger.error(`shard ${shardId}: ${error.message}`));
  const detach = broker.attach(manager);

  platform.logger.info(`running shards ${range.from}–${range.to} of ${total}`);
  const running = manager.startShardRange(range, total);
  // A fatal close ends the run as a signal would; its error is thrown after the cleanup below.
  const ended = running.then(noop, noop);
  void untilShardsReady(manager, running).then(announceReady, noop);
  const watch = new AbortController();
  await Promise.race([untilShutdownSignal(), untilOrphaned(watch.signal), ended]);
  watch.abort();

  const sessions = await manager.handoff(); // sessions stay resumable in Redis for the next process
  detach(); // no shard dispatches any more: stop listening; publishes under way still finish
  // During a Redis outage the publishes retry until it is back: wait 10 s at most, then give up
  // what still waits (close() rejects each, with its payload, as an UnpublishedEventError).
  await broker.publisher
    .idle({ timeoutMs: 10_000 })
    .catch((error: unknown) => platform.logger.warn(error instanceof Error ? error.message : String(error)));
  await sessionStore.close(); // after the last publishes: the stored seqs catch up with them
  broker.publisher.close(); // stops its stream trim and connection watch, for good
  redis.disconnect();
  rest.destroy();
  platform.logger.info(`handed off ${sessions.size} sessions`);
  await running;
});

function noop(): void {}
