import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Ready, Token, createLogger, type EventHandler } from '@bot/client';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('READY', () => {
  it('fires shardsReady after every shard’s ready() handlers have finished', async () => {
    const emulator = await Emulator.start({
      heartbeatInterval: 30_000,
      sessionStartLimit: { maxConcurrency: 2 },
    });
    try {
      const log: string[] = [];
      const readies: Ready[] = [];
      const handler: EventHandler = {
        async ready(ctx, ready) {
          log.push(`ready ${ctx.shard.id} started`);
          // Shard 1's handler takes longer, so it finishes after both shards are READY.
          await sleep(ctx.shard.id === 1 ? 150 : 10);
          readies.push(ready);
          log.push(`ready ${ctx.shard.id} finished`);
        },
        shardsReady: (event) => void log.push(`shardsReady ${event.shardIds.join(',')}`),
      };
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .eventHandler(handler);
      const running = client.startShards(2);
      await expect.poll(() => log.at(-1)).toBe('shardsReady 0,1');
      expect(log.filter((line) => line.startsWith('shardsReady'))).toHaveLength(1);
      expect(log.indexOf('shardsReady 0,1')).toBeGreaterThan(log.indexOf('ready 1 finished'));
      expect(log.indexOf('shardsReady 0,1')).toBeGreaterThan(log.indexOf('ready 0 finished'));

      // What READY carries, and nothing it does not.
      const ready = readies.find((model) => model.shardId === 1)!;
      expect(ready).toBeInstanceOf(Ready);
      expect(ready.shardCount).toBe(2);
      expect(ready.toJSON()).toEqual({
        version: 1,
        sessionId: expect.any(String),
        user: { id: expect.any(String), username: expect.any(String), bot: true },
        shard: [1, 2],
      });
      expect(JSON.parse(JSON.stringify(ready))).toEqual(ready.toJSON());
      expect(inspect(ready)).toMatch(/^Ready \{/);
      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });
});
