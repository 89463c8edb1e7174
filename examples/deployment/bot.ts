/**
 * deployment/bot: one production process of a bot that runs several such processes sharing Redis.
 * Its handlers run here, beside its shards; Redis gives every process one identify queue, one place
 * for sessions (so a restarted process resumes) and one lease per shard (so no shard runs twice).
 * It serves `/healthz` and `/readyz`, and stops on SIGTERM (a container stop) or SIGINT (Ctrl-C)
 * within a deadline, whatever its handlers still wait for: exit code 0 once every step of the stop
 * ran, 1 when the deadline cut the stop short or the shards had failed. docs/deployment.md walks
 * through it.
 *
 *   QQ_BOT_APP_ID=… QQ_BOT_SECRET=… REDIS_URL=redis://127.0.0.1:6379 GATEWAY_PROCESSES=2 GATEWAY_ORDINAL=0 \
 *     HEALTH_PORT=8080 node --import tsx examples/deployment/bot.ts
 *
 * `rehearsal.ts` runs one of these against the embedded emulator, stops it with SIGTERM, and checks
 * that its replacement resumes the sessions it left.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { RestClient } from '@bot/http';
import { gatewayInfoFromRest, identifyLimitsFrom } from '@bot/gateway';
import { connectRedis, RedisIdentifyQueue, RedisSessionStore, RedisShardLeases } from '@bot/gateway/redis';
import {
  Client,
  type C2CMessage,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
} from '@bot/client';
import { Platform, runMain } from '../support/index.js';
import {
  DISTRIBUTED_ENV,
  GATEWAY_INTENTS,
  gatewayOrdinal,
  requiredEnv,
  shardRangeOf,
} from '../distributed/deployment.js';

/** How long handlers may take to finish the events already read once a stop is asked for. */
const HANDLERS_DEADLINE_MS = 5_000;
/** How long the sessions may then take to close (the gateway's `shutdownTimeoutMs`, 5 s by default). */
const SESSIONS_CLOSE_MS = 3_000;
/**
 * The whole stop, past which the process exits anyway: under the 10 s a `docker stop` waits
 * before SIGKILL. The two steps above fit in it with a second to spare for Redis.
 */
const STOP_DEADLINE_MS = 9_500;

/** Answers `!ping` wherever it is asked, naming the shard and the process that handled it. */
class PingBot implements EventHandler {
  async messageCreate(ctx: Context, message: Message): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(pong(ctx));
  }

  async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(pong(ctx));
  }

  async c2cMessageCreate(ctx: Context, message: C2CMessage): Promise<void> {
    if (message.cleanContent === '!ping') await message.reply(pong(ctx));
  }
}

function pong(ctx: Context): string {
  return `Pong! (shard ${ctx.shard.id} of ${ctx.shard.total}, process ${process.pid})`;
}

runMain(async () => {
  const platform = Platform.remote();
  const { appId } = platform.token;
  const log = platform.logger;
  const redis = await connectRedis(requiredEnv(DISTRIBUTED_ENV.redisUrl), { logger: log });

  // The identify queue needs the bot's session start limits, which only REST can tell, and the
  // client's own RestClient exists only once the builder (which takes the queue) is built: ask
  // with a short-lived one and release it at once (its sockets and timers end with it).
  const rest = new RestClient(platform.restOptions());
  const info = await gatewayInfoFromRest(rest)
    .gatewayBot()
    .finally(() => rest.destroy());
  const total = Number(process.env[DISTRIBUTED_ENV.totalShards] ?? info.shards);
  const processes = Number(requiredEnv(DISTRIBUTED_ENV.gatewayProcesses));
  const range = shardRangeOf(gatewayOrdinal(), processes, total);

  // One leases object for the manager and the store: a shard starts only once this process holds
  // its lease, and the store writes no session of a shard another process holds.
  const leases = new RedisShardLeases(redis, { appId });
  const sessionStore = new RedisSessionStore(redis, { appId, leases, logger: log });
  const identifyQueue = new RedisIdentifyQueue(redis, {
    appId,
    limits: identifyLimitsFrom(info.session_start_limit),
    logger: log,
  });
  const client = await platform
    .configure(Client.builder(platform.token, GATEWAY_INTENTS))
    .identifyQueue(identifyQueue)
    .sessionStore(sessionStore)
    .gateway({ shardLeases: leases, shutdownTimeoutMs: SESSIONS_CLOSE_MS })
    .shutdownDeadline(HANDLERS_DEADLINE_MS)
    .eventHandler(new PingBot())
    .eventHandler({
      shardStatus: ({ shardId, state, previous }) => {
        log.info(`shard ${shardId}: ${previous} → ${state}`);
      },
      shardsReady: ({ shardIds }) => {
        log.info(`shards ${shardIds.join(', ')} of ${total} ready`);
        if (process.connected) process.send?.({ type: 'ready', healthUrl });
      },
      error: (error) => {
        log.error(`${error.kind}: ${error.message}`);
      },
    });

  // In a container, HEALTH_HOST=0.0.0.0 lets the orchestrator's probes reach it.
  const health = await serveHealth(
    client,
    process.env['HEALTH_HOST'] ?? '127.0.0.1',
    Number(process.env['HEALTH_PORT'] ?? 0),
  );
  const address = health.address();
  const healthUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  log.info(`running shards ${range.from}–${range.to} of ${total}; health at ${healthUrl}/healthz`);

  const running = client.startShardRange(range, total);
  running.catch(() => undefined); // reported below, once the process has stopped cleanly
  const signal = await Promise.race([
    untilStopSignal(),
    running.then(
      () => undefined,
      () => undefined,
    ),
  ]);
  log.info(`${signal ?? 'the shards stopped'}: shutting down`);
  await stop(async () => {
    health.close();
    // Stops reading, lets handlers finish (HANDLERS_DEADLINE_MS), closes the sessions resumable at
    // the last event handled (SESSIONS_CLOSE_MS), releases the shard leases, then releases REST.
    await client.shutdown();
    await sessionStore.close(); // the last session writes are in Redis
    redis.disconnect(); // not quit(): it would fail while Redis is unreachable
  });
  log.info('stopped');
  // Exit now rather than when the event loop empties: a handler cut off at the deadline runs on,
  // unwaited, and its timers, sockets or pending requests would hold the process until SIGKILL.
  await running.then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`\nthe shards had stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
});

/** Resolves with the first SIGTERM or SIGINT; a second one gets Node's default (exit at once). */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Runs the stop steps; if they outlast {@link STOP_DEADLINE_MS}, exits with code 1 regardless. */
async function stop(steps: () => Promise<void>): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`still stopping after ${STOP_DEADLINE_MS} ms: exiting`);
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref(); // a stop that finishes leaves nothing waiting on this timer
  try {
    await steps();
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * `/healthz`: 200 unless a shard stopped for good (restart the process). `/readyz`: 200 once every
 * shard of this process is ready (READY or RESUMED), 503 while one connects or reconnects.
 */
async function serveHealth(client: Client, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const shards = client.shardManager.status();
    const body = JSON.stringify(shards.map(({ id, state, latency }) => ({ id, state, latency })));
    const ok =
      request.url === '/healthz'
        ? shards.every((shard) => shard.state !== 'fatal')
        : request.url === '/readyz'
          ? shards.length > 0 && shards.every((shard) => shard.state === 'ready')
          : undefined;
    if (ok === undefined) response.writeHead(404).end();
    else response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(body);
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
