import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, type EmulatorRecord, type WebhookRecord } from '@bot/testing';
import { Client, Intents, Token, WebhookReceiver, createLogger, type EventSource } from '@bot/client';

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

// The README's other way to a webhook bot answered after its handlers: a bare receiver as a source.
describe('a bare WebhookReceiver fed through client.startFrom', () => {
  it('answers once the handlers are done; shutdown() stops the source and its server', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', webhook: { retryDelays: [] } });
    onTestFinished(() => emulator.stop());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    onTestFinished(() => release());
    const handled: string[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .eventHandler({
        async c2cMessageCreate(_ctx, message) {
          await gate;
          handled.push(message.content);
        },
      });

    const receiver = new WebhookReceiver({
      secret: emulator.secret,
      appId: emulator.appId,
      path: '/qq',
      dispatchWaitMs: 5_000,
    });
    const server = createServer(receiver.handler).listen(0, '127.0.0.1');
    let stopped = (): void => {};
    const source: EventSource = {
      start(sink, report) {
        receiver.on('dispatch', (payload) => sink(payload, undefined));
        if (report !== undefined) receiver.on('error', report);
        return new Promise<void>((resolve) => (stopped = resolve));
      },
      async stop() {
        await new Promise((resolve) => server.close(resolve));
        stopped();
      },
    };
    const running = client.startFrom(source);
    await new Promise((resolve) => server.once('listening', resolve));
    await emulator.webhook.setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/qq`);

    emulator.simulate.c2cMessage({ content: 'held' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const statuses = (): (number | null)[] =>
      emulator.recorder.filter(isWebhook).map((record) => record.status);
    expect(statuses()).toEqual([]);
    release();
    await expect.poll(statuses).toEqual([200]);
    expect(handled).toEqual(['held']);

    await client.shutdown();
    await running;
    expect(server.listening).toBe(false);
  });
});
