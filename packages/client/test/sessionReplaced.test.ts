/**
 * A resume the platform refuses (op 9: the session is gone) makes the shard identify a new session,
 * and the platform does not replay what it sent the old one: those events may never reach a
 * handler. `error()` must hear of it, as the gateway proxy reports it, not only the WARN line.
 */
import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { InMemorySessionStore } from '@bot/gateway';
import { Client, GatewayError, Intents, Token, createLogger, type ClientError } from '@bot/client';

interface Recorded {
  client: Client;
  errors: ClientError[];
  handled: string[];
}

async function clientOf(
  emulator: Emulator,
  store?: InMemorySessionStore,
  threads?: number,
): Promise<Recorded> {
  const errors: ClientError[] = [];
  const handled: string[] = [];
  let builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .eventHandler({
      error: (error) => void errors.push(error),
      messageCreate: (_ctx, message) => void handled.push(message.content),
    });
  if (store !== undefined) builder = builder.sessionStore(store);
  if (threads !== undefined) builder = builder.workers(threads);
  return { client: await builder, errors, handled };
}

/** Resolves on the `count`th time a shard of `client` becomes ready. */
function readyTimes(client: Client, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    client.shardManager.on('state', (state) => state === 'ready' && ++seen === count && resolve());
  });
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The errors that say a session was replaced. */
const replaced = (errors: readonly ClientError[]): ClientError[] =>
  errors.filter((error) => error.name === 'SessionReplacedError');

describe('a session the platform will not resume', () => {
  it('reaches error() as a SessionReplacedError naming the shard, the old session and its last seq', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000, resumeWindow: 0 });
    const bot = await clientOf(emulator);
    try {
      const running = bot.client.startShards(1);
      running.catch(() => undefined);
      const again = readyTimes(bot.client, 2);
      await readyTimes(bot.client, 1);
      emulator.simulate.guildAtMessage({ content: 'before' });
      await until(() => bot.handled.some((content) => content.includes('before')), 'the first event handled');
      const old = bot.client.shardManager.status()[0]!;

      emulator.faults.dropSocket(0);
      await until(() => replaced(bot.errors).length > 0, 'a replaced session reported');
      await again;

      const [error] = replaced(bot.errors);
      expect(replaced(bot.errors)).toHaveLength(1);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ kind: 'gateway', shardId: 0, sessionId: old.sessionId, seq: old.seq });
      expect(error!.message).toContain(`shard 0: session ${old.sessionId} could not be resumed`);
      expect(error!.message).toContain(`after seq ${old.seq}`);
      expect(error!.message).toContain('invalid session (op 9)');
      // Why, from the close event's structured ending (op 9 answering the resume), not a generic line.
      expect(error).toMatchObject({ ending: 'invalidSession' });
      expect(error!.message).toContain('likely gone because the process or its connection was away');
      expect(bot.client.shardManager.status()[0]!.sessionId).not.toBe(old.sessionId);
    } finally {
      await bot.client.shutdown();
      await emulator.stop();
    }
  }, 20_000);

  it('is reported by a restarted process whose stored session the platform forgot', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000, resumeWindow: 0 });
    const store = new InMemorySessionStore();
    const first = await clientOf(emulator, store);
    const firstRunning = first.client.startShards(1);
    await readyTimes(first.client, 1);
    emulator.simulate.guildAtMessage({ content: 'handled by the first' });
    await until(() => first.handled.length === 1, 'the first process handled its event');
    const stored = first.client.shardManager.status()[0]!;
    await first.client.shutdown();
    await firstRunning;

    const second = await clientOf(emulator, store);
    try {
      const running = second.client.startShards(1);
      running.catch(() => undefined);
      await readyTimes(second.client, 1);

      expect(replaced(second.errors)).toHaveLength(1);
      expect(replaced(second.errors)[0]).toMatchObject({
        shardId: 0,
        sessionId: stored.sessionId,
        seq: stored.seq,
      });
    } finally {
      await second.client.shutdown();
      await emulator.stop();
    }
  }, 20_000);

  it('is reported for a shard on a worker thread too', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000, resumeWindow: 0 });
    const bot = await clientOf(emulator, undefined, 1);
    try {
      const running = bot.client.startShards(1);
      running.catch(() => undefined);
      await readyTimes(bot.client, 1);
      const old = bot.client.shardManager.status()[0]!;

      emulator.faults.dropSocket(0);
      await until(() => replaced(bot.errors).length > 0, 'a replaced session reported');

      expect(replaced(bot.errors)).toHaveLength(1);
      expect(replaced(bot.errors)[0]).toMatchObject({ shardId: 0, sessionId: old.sessionId });
    } finally {
      await bot.client.shutdown();
      await emulator.stop();
    }
  }, 20_000);

  it('is not reported when the resume succeeds', async () => {
    const emulator = await Emulator.start({ heartbeatInterval: 30_000 });
    const bot = await clientOf(emulator);
    try {
      const running = bot.client.startShards(1);
      running.catch(() => undefined);
      const again = readyTimes(bot.client, 2);
      await readyTimes(bot.client, 1);
      const old = bot.client.shardManager.status()[0]!;

      emulator.faults.dropSocket(0);
      await again;

      expect(bot.client.shardManager.status()[0]!.sessionId).toBe(old.sessionId);
      expect(replaced(bot.errors)).toEqual([]);
    } finally {
      await bot.client.shutdown();
      await emulator.stop();
    }
  });
});
