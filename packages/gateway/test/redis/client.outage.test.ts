import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Token } from '@bot/http';
import type { DispatchPayload } from '@bot/gateway';
import {
  RedisEventBroker,
  RedisOperationError,
  RedisSessionStore,
  RedisUnavailableError,
  connectRedis,
} from '@bot/gateway/redis';
import type { Emulator, GatewayFrameRecord } from '@bot/testing';
import {
  Client,
  Intents,
  type ClientError,
  type Context,
  type EventHandler,
  type Message,
} from '@bot/client';
import { startEmulator } from '../support/emulator.js';
import { silentLogger } from '../support/harness.js';
import { uniquePrefix } from './support/redis.js';
import { RedisServer } from './support/redisServer.js';

const SHARDS = 2;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Answers every guild message and keeps what reached `error()`. */
class Bot implements EventHandler {
  public readonly handled: string[] = [];
  public readonly errors: ClientError[] = [];

  async messageCreate(ctx: Context, message: Message): Promise<void> {
    this.handled.push(message.cleanContent);
    await message.reply(`handled on shard ${ctx.shard.id}`);
  }

  error(error: ClientError): void {
    this.errors.push(error);
  }
}

async function streamedContents(redis: Redis, stream: string): Promise<string[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries
    .map(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1] ?? '{}') as DispatchPayload)
    .filter((payload) => payload.t === 'AT_MESSAGE_CREATE')
    .map((payload) => (payload.d as { content: string }).content.replace(/^<@!\d+>\s*/, '')); // the @-mention of the bot
}

describe('a gateway client whose Redis goes away', () => {
  it('keeps its shards connected, reports the outage to error() and publishes what it held once Redis is back', async () => {
    const server = await RedisServer.start();
    cleanups.push(() => server.stop());
    const redis = await connectRedis(server.url, { retryStrategy: () => 50, logger: silentLogger() });
    cleanups.push(() => redis.disconnect());
    const emulator: Emulator = await startEmulator({
      shards: SHARDS,
      sessionStartLimit: { maxConcurrency: SHARDS },
      heartbeatInterval: 250,
    });
    cleanups.push(() => emulator.stop());

    const namespace = { appId: emulator.appId, prefix: uniquePrefix(), logger: silentLogger() };
    const stream = `${namespace.prefix}:{${emulator.appId}}:events`;
    const broker = new RedisEventBroker(redis, {
      ...namespace,
      retry: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 500 },
    });
    const sessionStore = new RedisSessionStore(redis, {
      ...namespace,
      publisher: broker.publisher,
      ttlMs: 3_000,
      retry: { attempts: 2, baseDelayMs: 20, timeoutMs: 300 },
    });
    const bot = new Bot();
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(silentLogger())
      .sessionStore(sessionStore)
      // A shard beats no faster than its send budget sustains: 250 ms needs 480 frames a minute.
      .gateway({ sendLimit: { limit: 480 } })
      .eventHandler(bot);
    broker.attach(client.shardManager);
    const running = client.startShards(SHARDS);
    cleanups.push(async () => {
      await client.shutdown();
      await running;
      await sessionStore.close();
    });
    const manager = client.shardManager;
    const readyShards = (): number => manager.status().filter((status) => status.state === 'ready').length;
    await expect.poll(readyShards, { timeout: 15_000 }).toBe(SHARDS);
    const say = (content: string, shardId: number): void =>
      void emulator.simulate.guildAtMessage({
        content,
        guildId: emulator.world.guildOnShard(shardId, SHARDS).id,
      });
    say('before', 0);
    await expect.poll(() => streamedContents(redis, stream)).toEqual(['before']);

    await server.stop();
    const heartbeats = new Map<number, number>();
    manager.on('heartbeat', (_latency, shardId) =>
      heartbeats.set(shardId, (heartbeats.get(shardId) ?? 0) + 1),
    );
    say('during outage on shard 0', 0);
    say('during outage on shard 1', 1);

    // The sockets carry on: events reach the handlers, heartbeats are acknowledged.
    await expect
      .poll(() => bot.handled, { timeout: 10_000 })
      .toEqual(['before', 'during outage on shard 0', 'during outage on shard 1']);
    await expect
      .poll(() => Math.min(heartbeats.get(0) ?? 0, heartbeats.get(1) ?? 0), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    // The outage reaches error() with what could not be done.
    await expect
      .poll(() => bot.errors.filter((error) => error instanceof RedisOperationError), { timeout: 10_000 })
      .not.toEqual([]);
    // The lost connection itself, at once and once; then each publish that could not get through.
    expect(bot.errors.filter((error) => error instanceof RedisUnavailableError)).toHaveLength(1);
    const outage = bot.errors.find(
      (error) => error instanceof RedisOperationError && !(error instanceof RedisUnavailableError),
    );
    expect(outage?.kind).toBe('gateway');
    expect(outage?.message).toMatch(
      // Commands fail at once while the client is disconnected; one sent just before, at its deadline.
      /^shard [01]: Redis: could not publish AT_MESSAGE_CREATE \(event \S+\): (not connected \(the client is reconnecting\)|no answer within 500 ms)$/,
    );
    expect(readyShards()).toBe(SHARDS);
    expect(emulator.recorder.filter((record) => record.kind === 'close')).toEqual([]);

    // Redis is back (empty: no persistence): the held events are published, new ones follow.
    await server.restart();
    await expect
      .poll(async () => (await streamedContents(redis, stream)).sort(), { timeout: 15_000 })
      .toEqual(['during outage on shard 0', 'during outage on shard 1']);
    say('after', 1);
    await expect.poll(() => streamedContents(redis, stream), { timeout: 10_000 }).toContain('after');
    // The sessions Redis lost are written again, up to the last event each shard received.
    for (const status of manager.status()) {
      await expect
        .poll(() => sessionStore.get(status.id), { timeout: 10_000 })
        .toEqual({
          sessionId: status.sessionId,
          seq: manager.shards.get(status.id)?.status().seq,
          shardCount: SHARDS,
        });
    }
    const identifies = emulator.recorder.filter(
      (record): record is GatewayFrameRecord => record.kind === 'gateway' && record.op === 2,
    );
    expect(identifies).toHaveLength(SHARDS);
    expect(bot.errors.filter((error) => !(error instanceof RedisOperationError))).toEqual([]);
  });
});
