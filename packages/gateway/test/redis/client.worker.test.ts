import { describe, expect, it } from 'vitest';
import { Token } from '@bot/http';
import { RedisEventBroker } from '@bot/gateway/redis';
import type { Emulator, RestRecord } from '@bot/testing';
import {
  Client,
  Intents,
  defineKey,
  type ClientError,
  type Context,
  type EventHandler,
  type GroupMessage,
  type Message,
} from '@bot/client';
import { emulatorManager, startEmulator } from '../support/emulator.js';
import { silentLogger } from '../support/harness.js';
import { useRedisFixture } from './support/redisFixture.js';

const SHARDS = 2;
const Greeting = defineKey<string>('greeting');
const { redis, namespace, track } = useRedisFixture();

/** What a handler saw of one event: its Context and its model. */
interface Sighting {
  event: string;
  content: string;
  shardId: number;
  shardTotal: number;
  greeting: string;
  appId: string;
}

/** The bot under test, the same class in both runs: it notes what its Context says and replies. */
class EchoBot implements EventHandler {
  public readonly seen: Sighting[] = [];
  public readonly errors: ClientError[] = [];
  /** Holds the handling of a group message saying `slow` until opened. */
  public gate: Promise<void> = Promise.resolve();

  async messageCreate(ctx: Context, message: Message): Promise<void> {
    this.#note(ctx, 'messageCreate', message.cleanContent);
    await message.reply(`echo: ${message.cleanContent}`);
  }

  async groupMessageCreate(ctx: Context, message: GroupMessage): Promise<void> {
    this.#note(ctx, 'groupMessageCreate', message.cleanContent);
    if (message.cleanContent === 'slow') await this.gate;
    await message.reply(`first answer to ${message.cleanContent}`);
    await message.reply(`second answer to ${message.cleanContent}`);
  }

  error(error: ClientError): void {
    this.errors.push(error);
  }

  #note(ctx: Context, event: string, content: string): void {
    this.seen.push({
      event,
      content,
      shardId: ctx.shard.id,
      shardTotal: ctx.shard.total,
      greeting: ctx.data.get(Greeting),
      appId: ctx.token.appId,
    });
  }
}

/** A reply as the emulator recorded it. */
interface Reply {
  content: unknown;
  msgSeq: unknown;
  status: number;
}

/** Waits for `count` replies quoting `messageId`, as the platform received them. */
async function repliesTo(emulator: Emulator, messageId: string, count: number): Promise<Reply[]> {
  const isReply = (record: RestRecord): boolean =>
    record.method === 'POST' && (record.body as { msg_id?: unknown } | undefined)?.msg_id === messageId;
  const found = (): RestRecord[] =>
    emulator.recorder.filter((record): record is RestRecord => record.kind === 'rest' && isReply(record));
  await expect.poll(() => found().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return found().map((record) => {
    const body = record.body as { content?: unknown; msg_seq?: unknown };
    return { content: body.content, msgSeq: body.msg_seq, status: record.status };
  });
}

/** A worker-side or socket-side client of the emulator running `bot`. */
async function buildClient(emulator: Emulator, bot: EchoBot): Promise<Client> {
  return Client.builder(new Token(emulator.appId, emulator.secret), Intents.default().withGroupAndC2cEvent())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(silentLogger())
    .data(Greeting, 'hello from the data map')
    .eventHandler(bot);
}

function startBotEmulator(): Promise<Emulator> {
  return startEmulator({ shards: SHARDS, sessionStartLimit: { maxConcurrency: SHARDS } });
}

/** The scripted conversation: a guild message on shard 1 and a group message (shard 0). */
async function converse(emulator: Emulator): Promise<Reply[][]> {
  const guild = emulator.world.guildOnShard(1, SHARDS);
  const atGuild = emulator.simulate.guildAtMessage({ content: 'hello guild', guildId: guild.id });
  const inGroup = emulator.simulate.groupAtMessage({ content: 'hello group' });
  return [await repliesTo(emulator, atGuild.d.id, 1), await repliesTo(emulator, inGroup.d.id, 2)];
}

describe('a Client fed by a RedisEventConsumer', () => {
  it('runs the same handlers with the same Context as a socket-fed client, replies with numbered msg_seq, and acknowledges after its handlers', async () => {
    // A socket-fed client: the reference.
    const socketEmulator = await startBotEmulator();
    track(() => socketEmulator.stop());
    const socketBot = new EchoBot();
    const socketClient = await buildClient(socketEmulator, socketBot);
    const socketRun = socketClient.startShards(SHARDS);
    await expect
      .poll(() => socketClient.shardManager.status().filter((s) => s.state === 'ready').length, {
        timeout: 15_000,
      })
      .toBe(SHARDS);
    const socketReplies = await converse(socketEmulator);
    await socketClient.shutdown({ invalidateSessions: true });
    await socketRun;

    // The same bot in a worker: shards in a gateway manager publish, the worker's client consumes.
    const emulator = await startBotEmulator();
    track(() => emulator.stop());
    const ns = namespace(emulator.appId);
    const broker = new RedisEventBroker(redis(), ns);
    const manager = emulatorManager(emulator);
    broker.attach(manager);
    const gatewayRun = manager.startShards(SHARDS);
    track(async () => {
      await manager.shutdownAll({ invalidateSessions: true });
      await gatewayRun;
    });
    const workerBot = new EchoBot();
    const worker = await buildClient(emulator, workerBot);
    const workerRun = worker.startFrom(broker.consumer({ consumer: 'worker-1', blockMs: 100 }));
    track(async () => {
      await worker.shutdown();
      await workerRun;
    });
    await expect
      .poll(() => manager.status().filter((s) => s.state === 'ready').length, { timeout: 15_000 })
      .toBe(SHARDS);
    const workerReplies = await converse(emulator);

    const bySubject = (sightings: Sighting[]): Sighting[] =>
      [...sightings].sort((a, b) => a.content.localeCompare(b.content));
    expect(bySubject(workerBot.seen)).toEqual(bySubject(socketBot.seen));
    expect(workerBot.seen).toContainEqual({
      event: 'messageCreate',
      content: 'hello guild',
      shardId: 1,
      shardTotal: SHARDS,
      greeting: 'hello from the data map',
      appId: emulator.appId,
    });
    expect(workerReplies).toEqual(socketReplies);
    expect(workerReplies[1]).toEqual([
      { content: 'first answer to hello group', msgSeq: 1, status: 200 },
      { content: 'second answer to hello group', msgSeq: 2, status: 200 },
    ]);
    expect(workerBot.errors).toEqual([]);

    // The entry stays pending while a handler runs and is acknowledged once it has finished.
    let open: () => void = () => undefined;
    workerBot.gate = new Promise((resolve) => (open = resolve));
    const slow = emulator.simulate.groupAtMessage({ content: 'slow' });
    await expect.poll(() => workerBot.seen.some((sighting) => sighting.content === 'slow')).toBe(true);
    const stream = `${ns.prefix}:{${emulator.appId}}:events`;
    const pendingCount = async (): Promise<number> =>
      ((await redis().xpending(stream, 'workers')) as [number, ...unknown[]])[0];
    expect(await pendingCount()).toBe(1);
    open();
    expect(await repliesTo(emulator, slow.d.id, 2)).toHaveLength(2);
    await expect.poll(pendingCount, { timeout: 10_000 }).toBe(0);
  });
});
