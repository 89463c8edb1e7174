import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

describe('webhook back-pressure', () => {
  it('refuses deliveries with 503 above the high-water mark; the platform retries them and none is lost', async () => {
    const emulator = await Emulator.start({
      grantedIntents: 'all',
      webhook: { retryDelays: [100, 200, 400, 800, 1600] },
    });
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: string[] = [];
      const handler: EventHandler = {
        async c2cMessageCreate(_ctx, message) {
          await gate;
          handled.push(message.id);
        },
      };
      const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .logger(createLogger('test', 7))
        .dispatchPolicy({ mode: 'sequential' })
        .backpressure({ highWaterMark: 3, lowWaterMark: 1 })
        .eventHandler(handler);
      const server = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });
      await emulator.webhook.setUrl(server.url);

      const sent = Array.from({ length: 10 }, (_, index) =>
        emulator.simulate.c2cMessage({ content: `m${index}` }),
      );
      const refused = (): number =>
        emulator.recorder.filter((record) => record.kind === 'webhook' && record.status === 503).length;
      await expect.poll(refused).toBeGreaterThan(0);
      expect(handled).toEqual([]);
      release();

      await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(sent.length);
      expect([...handled].sort()).toEqual(sent.map((event) => event.d.id).sort());
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });
});
