/**
 * distributed: one bot split over processes joined by Redis. A gateway process (gateway.ts) runs
 * the shards and publishes every event to a Redis Stream; a worker process (worker.ts) handles
 * them with an ordinary `Client` and replies through REST.
 *
 *   pnpm example distributed
 *
 * It uses the Redis at REDIS_URL, or starts a throwaway redis-server. With QQ_BOT_APP_ID and
 * QQ_BOT_SECRET set, both processes connect to the QQ platform and run until Ctrl-C. Without them
 * this script starts the emulator with two shards, plays a short exchange, replaces the gateway
 * process the way a deploy does (the new one resumes the sessions the old one handed off), plays
 * on, checks that the worker acknowledged every event, and exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Emulator, GatewayFrameRecord } from '@bot/testing';
import { connectRedis, RedisKeys } from '@bot/gateway/redis';
import {
  Conversation,
  Platform,
  c2cScene,
  groupScene,
  guildScene,
  runMain,
  untilShutdownSignal,
} from '../support/index.js';
import { DISTRIBUTED_ENV, GATEWAY_INTENTS } from './deployment.js';
import { ExampleProcess } from './ExampleProcess.js';
import { exampleRedis } from './exampleRedis.js';

/** Shards of the bot against the emulator (the platform's recommendation otherwise). */
const EMULATOR_SHARDS = 2;

/** How long the worker may take to acknowledge the last event after its reply went out. */
const ACK_TIMEOUT_MS = 5_000;

runMain(async () => {
  // Redis first: without one there is nothing to run, and no emulator to stop.
  const redis = await exampleRedis();
  const platform = await Platform.connect({
    shards: EMULATOR_SHARDS,
    sessionStartLimit: { maxConcurrency: EMULATOR_SHARDS },
    grantedIntents: GATEWAY_INTENTS.bits,
  }).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  console.log('distributed: shards in a gateway process, handlers in a worker process, joined by Redis');
  console.log(`  platform: ${platform.describe()}`);
  console.log(`  redis:    ${redis.description}`);

  const env: Record<string, string> = {
    ...platform.childEnv(),
    [DISTRIBUTED_ENV.redisUrl]: redis.url,
    [DISTRIBUTED_ENV.gatewayProcesses]: '1',
    [DISTRIBUTED_ENV.ordinal]: '0',
    ...(platform.emulator ? { [DISTRIBUTED_ENV.totalShards]: String(EMULATOR_SHARDS) } : {}),
  };
  const processes: ExampleProcess[] = [];
  const start = (name: string, script: string): ExampleProcess => {
    const started = new ExampleProcess(name, script, env);
    processes.push(started);
    return started;
  };
  const worker = start('worker', 'worker.ts');
  let gateway = start('gateway', 'gateway.ts');
  // A deploy: the running gateway hands its sessions off on SIGTERM, then the next one starts.
  const replaceGateway = async (): Promise<ExampleProcess> => {
    const code = await gateway.stop();
    if (code !== 0) throw new Error(`the gateway process ${gateway.pid} exited with code ${code} on SIGTERM`);
    gateway = start('gateway', 'gateway.ts');
    await gateway.ready;
    return gateway;
  };
  try {
    await Promise.all([gateway.ready, worker.ready]);
    console.log(
      `\ngateway process ${gateway.pid} runs the shards; worker process ${worker.pid} handles their events\n`,
    );
    if (platform.emulator) {
      await play(platform.emulator, redis.url, platform.token.appId, replaceGateway);
    } else {
      const ended = processes.map((child) => child.exited.then((code) => `${child.name} exited (${code})`));
      console.log(`${await Promise.race([untilShutdownSignal(), ...ended])}: stopping`);
    }
  } finally {
    // The gateway first (it hands its sessions off), then the worker finishes what was published.
    await gateway.stop();
    await worker.stop();
    await redis.stop();
    await platform.stop();
  }
  for (const child of processes) {
    const code = await child.exited;
    console.log(`${child.name} process ${child.pid} exited with code ${code}`);
    if (code !== 0) throw new Error(`the ${child.name} process ${child.pid} did not shut down cleanly`);
  }
});

/**
 * The scripted run against the emulator: an exchange, a gateway deploy, another exchange, and a
 * check that the worker acknowledged every event.
 *
 * @param emulator - the embedded emulator
 * @param redisUrl - the shared Redis
 * @param appId - the bot's AppID (it names the stream)
 * @param replaceGateway - replaces the gateway process, resolving once the new one is ready
 */
async function play(
  emulator: Emulator,
  redisUrl: string,
  appId: string,
  replaceGateway: () => Promise<ExampleProcess>,
): Promise<void> {
  const chat = new Conversation(emulator);
  const farGuild = guildScene(emulator, { guildId: emulator.world.guildOnShard(1, EMULATOR_SHARDS).id });
  await chat.say(farGuild, '!ping');
  await chat.say(groupScene(emulator), '!ping');

  console.log('\na deploy: the gateway process hands its sessions off and a new one takes over');
  const mark = emulator.recorder.mark();
  const replacement = await replaceGateway();
  const frames = (op: number): number =>
    emulator.recorder.filter(
      (record): record is GatewayFrameRecord =>
        record.kind === 'gateway' && record.op === op && record.index >= mark,
    ).length;
  console.log(
    `gateway process ${replacement.pid}: resumed ${frames(6)} sessions, identified ${frames(2)} times\n`,
  );

  await chat.say(c2cScene(emulator), '!ping');
  await chat.say(farGuild, '!ping');

  const redis = await connectRedis(redisUrl);
  try {
    const pending = await untilAcknowledged(redis, new RedisKeys({ appId }).events);
    console.log(`\nevents left unacknowledged by the worker: ${pending}\n`);
  } finally {
    redis.disconnect();
  }
}

/** Waits (a few seconds at most) until the worker group has no pending event; returns how many are left. */
async function untilAcknowledged(
  redis: Awaited<ReturnType<typeof connectRedis>>,
  stream: string,
): Promise<number> {
  const deadline = Date.now() + ACK_TIMEOUT_MS;
  for (;;) {
    const [pending] = (await redis.xpending(stream, 'workers')) as [number, ...unknown[]];
    if (pending === 0 || Date.now() > deadline) return pending;
    await sleep(50);
  }
}
