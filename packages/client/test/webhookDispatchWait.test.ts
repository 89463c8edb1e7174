import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, type EmulatorRecord, type WebhookRecord } from '@bot/testing';
import { Client, Intents, Token, createLogger, type ClientError, type EventHandler } from '@bot/client';

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

/** A client fed by its own webhook server on 127.0.0.1, the emulator posting to it. */
async function webhookBot(
  handler: EventHandler,
  options: { dispatchWaitMs?: number } = {},
): Promise<{ emulator: Emulator; client: Client; statuses: () => (number | null)[] }> {
  const emulator = await Emulator.start({ grantedIntents: 'all', webhook: { retryDelays: [] } });
  onTestFinished(() => emulator.stop());
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .eventHandler(handler);
  onTestFinished(() => client.shutdown({ deadlineMs: 0 }));
  const server = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq', ...options });
  await emulator.webhook.setUrl(server.url);
  const statuses = (): (number | null)[] =>
    emulator.recorder.filter(isWebhook).map((record) => record.status);
  return { emulator, client, statuses };
}

describe('startWebhook dispatchWaitMs', () => {
  it('answers a delivery at once by default, while its handler still runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = false;
    const { emulator, statuses } = await webhookBot({
      async c2cMessageCreate() {
        running = true;
        await gate;
      },
    });
    onTestFinished(() => release());
    emulator.simulate.c2cMessage({ content: 'now' });
    await expect.poll(statuses).toEqual([200]);
    expect(running).toBe(true);
  });

  it('answers once the handlers finished, within the wait', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const { emulator, statuses } = await webhookBot(
      {
        async c2cMessageCreate() {
          await gate;
          finished = true;
        },
      },
      { dispatchWaitMs: 5_000 },
    );
    onTestFinished(() => release());
    emulator.simulate.c2cMessage({ content: 'after' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The handler holds the answer: the platform has heard nothing yet.
    expect(statuses()).toEqual([]);
    release();
    await expect.poll(statuses).toEqual([200]);
    expect(finished).toBe(true);
  });

  it('answers 200 at the end of the wait while a handler still runs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const { emulator, statuses } = await webhookBot(
      {
        async c2cMessageCreate() {
          await gate;
          finished = true;
        },
      },
      { dispatchWaitMs: 200 },
    );
    onTestFinished(() => release());
    emulator.simulate.c2cMessage({ content: 'slow' });
    await expect.poll(statuses).toEqual([200]);
    expect(finished).toBe(false);
  });

  it('answers 500 for an event the shutdown gives up on, for the platform to deliver it again', async () => {
    let started = false;
    const errors: ClientError[] = [];
    const { emulator, client, statuses } = await webhookBot(
      {
        async c2cMessageCreate() {
          started = true;
          await new Promise(() => {});
        },
        error(error) {
          errors.push(error);
        },
      },
      { dispatchWaitMs: 5_000 },
    );
    emulator.simulate.c2cMessage({ content: 'cut off' });
    await expect.poll(() => started).toBe(true);
    await client.shutdown({ deadlineMs: 100 });
    await expect.poll(statuses).toEqual([500]);
    expect(errors.map((error) => error.name)).toContain('AbandonedEventsError');
  });

  it('refuses a wait the receiver does not take, before listening', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all' });
    onTestFinished(() => emulator.stop());
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .eventHandler({});
    onTestFinished(() => client.shutdown());
    await expect(client.startWebhook({ port: 0, host: '127.0.0.1', dispatchWaitMs: -1 })).rejects.toThrow(
      /dispatchWaitMs/,
    );
  });
});
