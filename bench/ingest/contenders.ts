/**
 * Child side of the ingest benchmark: connects one contender to the stream server and counts
 * the dispatches that reach user code. Each contender's user code is a no-op that only counts.
 */
import { Bot, ReceiverMode } from 'qq-official-bot';
import WebSocket from 'ws';
import { Client, Intents, Token, type EventHandler, type HandlerResult } from '@bot/client';
import { InMemoryIdentifyQueue, Shard } from '@bot/gateway';
import { createLogger } from '@bot/http';
import { runChild } from '../support/childProcess.js';
import type { IngestContender, IngestJob } from './job.js';
import { ThroughputMeter, type ThroughputResult } from '../support/ThroughputMeter.js';

/** The stream's events, as intents (the stream server sends them whatever the intents say). */
const INTENTS = Intents.default().withGroupAndC2cEvent().withInteraction();
/** Above every tslog level: prints nothing. */
const silent = createLogger('bench', 7);
const APP_ID = '102000000';
const SECRET = 'BenchSecret0123456789abcdefghijk';

/** The baseline: `ws` and one `JSON.parse` per frame, the least any client must do. */
function bareWs(job: IngestJob, count: () => void): void {
  const socket = new WebSocket(job.gatewayUrl, { perMessageDeflate: false });
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as { op: number; t?: string };
    if (frame.op === 10) {
      socket.send(
        JSON.stringify({
          op: 2,
          d: { token: 'QQBot bench-access-token', intents: INTENTS.bits, shard: [0, 1] },
        }),
      );
    } else if (frame.op === 0 && frame.t !== 'READY') {
      count();
    }
  });
}

/** The transport alone: one `Shard` and its `dispatch` event, no client on top. */
function gatewayShard(job: IngestJob, count: () => void): void {
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: INTENTS.bits,
    gatewayUrl: job.gatewayUrl,
    tokens: { get: () => Promise.resolve('bench-access-token'), invalidate: () => undefined },
    identifyQueue: new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 1000,
      remaining: 1000,
      resetAfterMs: 86_400_000,
    }),
    logger: silent,
  });
  shard.on('dispatch', (payload) => payload.t !== 'READY' && count());
  void shard.start();
}

/** The whole path of this project: shard → client dispatcher → model → a handler method. */
async function botClient(job: IngestJob, count: () => void): Promise<void> {
  await startClient(job, handlerCalling(count));
}

/**
 * The same path with `async` handler methods, as most bots write them: every event then waits
 * for the promise each method returns before the next handler, or the event's end, is reached.
 */
async function botClientAsync(job: IngestJob, count: () => void): Promise<void> {
  const countAsync = async (): Promise<void> => count();
  await startClient(job, handlerCalling(countAsync));
}

/** A handler whose method for every event of the stream is `method`. */
function handlerCalling(method: () => HandlerResult): EventHandler {
  return {
    messageCreate: method,
    groupMessageCreate: method,
    c2cMessageCreate: method,
    guildMemberAdd: method,
    guildMemberRemove: method,
    interactionCreate: method,
  };
}

async function startClient(job: IngestJob, handler: EventHandler): Promise<void> {
  const client = await Client.builder(new Token(APP_ID, SECRET), INTENTS)
    .baseUrl(job.restUrl, job.tokenUrl)
    .eventHandler(handler)
    .logger(silent);
  void client.start();
}

/**
 * The community SDK, unmodified. It hard-codes the platform's hosts, so its axios instance is
 * pointed at the stream server the way the emulator's fidelity test does it.
 */
async function qqOfficialBot(job: IngestJob, count: () => void): Promise<void> {
  const bot = new Bot({
    appid: APP_ID,
    secret: SECRET,
    intents: ['GUILDS', 'GUILD_MEMBERS', 'PUBLIC_GUILD_MESSAGES', 'GROUP_AND_C2C_EVENT', 'INTERACTION'],
    mode: ReceiverMode.WEBSOCKET,
    logLevel: 'off',
  });
  bot.request.defaults.baseURL = job.restUrl;
  bot.request.interceptors.request.use((config) => {
    if (config.url === 'https://bots.qq.com/app/getAppAccessToken') config.url = job.tokenUrl;
    return config;
  });
  // Every event surfaces as `message` or `notice` before its more specific names.
  bot.on('message', count);
  bot.on('notice', count);
  await bot.start();
}

const CONNECT: Record<IngestContender, (job: IngestJob, count: () => void) => void | Promise<void>> = {
  'bare ws + JSON.parse': bareWs,
  '@bot/gateway Shard': gatewayShard,
  '@bot/client': botClient,
  '@bot/client, async handlers': botClientAsync,
  'qq-official-bot': qqOfficialBot,
};

runChild<IngestJob, ThroughputResult>(async (job) => {
  const meter = new ThroughputMeter(job.warmup, job.events);
  await CONNECT[job.contender](job, meter.count);
  return meter.done;
});
