import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { InMemorySessionStore } from '@bot/gateway';
import { Client, Intents, Token, createLogger } from '@bot/client';

// A shutdown that gave up on events keeps the sessions at that point, so a successor gets them
// again; one that then fails lets the shards read on, and their sessions must move on too, or
// they stay at the abandon point for good.

describe('a failed shutdown after events were given up on', () => {
  it('lets the shards store their sessions past the abandon point again', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 100 });
    try {
      const store = new InMemorySessionStore();
      let holding = false;
      const handled: string[] = [];
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .sessionStore(store)
        .dispatchPolicy({ mode: 'sequential' })
        .gateway({ seqFlushDelayMs: 20, sendLimit: { limit: 1_200, windowMs: 60_000 } })
        .eventHandler({
          async groupMessageCreate(_ctx, message) {
            if (message.content.includes('hold')) {
              holding = true;
              await new Promise<void>(() => undefined);
            }
            handled.push(message.id);
          },
        });
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      running.catch(() => undefined);
      await ready;

      emulator.simulate.groupAtMessage({ content: 'hold' });
      for (let i = 0; i < 5; i++) emulator.simulate.groupAtMessage({ content: `queued ${i}` });
      await expect.poll(() => holding).toBe(true);
      const closing = new Error('closing failed');
      const shutdownAll = client.shardManager.shutdownAll.bind(client.shardManager);
      client.shardManager.shutdownAll = () => Promise.reject(closing);
      await expect(client.shutdown({ deadlineMs: 50 })).rejects.toBe(closing);
      const atAbandon = (await store.get(0))!.seq;

      const later = emulator.simulate.groupAtMessage({ content: 'later' }).d.id;
      await expect.poll(() => handled.includes(later)).toBe(true);
      await expect.poll(async () => (await store.get(0))!.seq, { timeout: 2_000 }).toBeGreaterThan(atAbandon);
      client.shardManager.shutdownAll = shutdownAll;
      await client.shutdown({ deadlineMs: 50, invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  }, 30_000);
});
