import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, type EmulatorRecord, type WebhookRecord } from '@bot/testing';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

describe("Client.webhookReceiver when another 'dispatch' listener throws", () => {
  it("drops the platform's redelivery by event id: the client's handler runs once", async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', webhook: { retryDelays: [50, 50] } });
    onTestFinished(() => emulator.stop());
    const handled: string[] = [];
    const handler: EventHandler = {
      c2cMessageCreate(_ctx, message) {
        handled.push(message.id);
      },
    };
    const logger = createLogger('test', 0);
    logger.settings.type = 'hidden';
    const lines: string[] = [];
    logger.attachTransport((record) => void lines.push(String(record['0'])));
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(logger)
      .eventHandler(handler);
    onTestFinished(() => client.shutdown());
    const receiver = client.webhookReceiver({ path: '/qq' });
    let calls = 0;
    receiver.on('dispatch', () => {
      if (++calls === 1) throw new Error('metrics sink down');
    });
    const server = createServer(receiver.handler);
    onTestFinished(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await emulator.webhook.setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/qq`);

    const sent = emulator.simulate.c2cMessage({ content: 'once' });
    await expect
      .poll(() => emulator.recorder.filter(isWebhook).map((record) => record.status))
      .toEqual([500, 200]);
    // Both deliveries reached the user's listener; the client's handling ran on the first only.
    expect(calls).toBe(2);
    await expect.poll(() => handled).toEqual([sent.d.id]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled).toEqual([sent.d.id]);
    expect(lines.filter((line) => line.includes('dropped duplicate'))).toEqual([
      `dropped duplicate C2C_MESSAGE_CREATE ${sent.id}`,
    ]);
  });
});
