import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type DispatchPayload, type WebhookServer } from '@bot/gateway';
import type { Emulator, EmulatorRecord, WebhookRecord } from '@bot/testing';
import { startEmulator } from './support/emulator.js';
import { silentLogger } from './support/harness.js';

let emulator: Emulator;
let server: WebhookServer;

afterEach(async () => {
  await emulator.stop();
  await server.close();
});

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

describe('WebhookReceiver with the emulator webhook pusher', () => {
  it('passes the op 13 URL validation, then verifies, acknowledges and emits a signed op 0', async () => {
    emulator = await startEmulator();
    const receiver = new WebhookReceiver({
      secret: emulator.secret,
      appId: emulator.appId,
      path: '/qq',
      logger: silentLogger(),
    });
    const received = new Promise<DispatchPayload>((resolve) => receiver.once('dispatch', resolve));
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });

    await emulator.webhook.setUrl(server.url); // throws unless our validation answer verifies

    const published = emulator.simulate.c2cMessage({ content: 'over http' });
    const payload = await received;
    expect(payload).toMatchObject({
      op: 0,
      id: published.id,
      t: 'C2C_MESSAGE_CREATE',
      d: { content: 'over http' },
    });
    const delivery = await emulator.recorder.waitFor(isWebhook);
    expect(delivery).toMatchObject({ status: 200, ack: 0, attempt: 1 });
  });

  it('refuses the validation and deliveries signed with another secret', async () => {
    emulator = await startEmulator();
    const receiver = new WebhookReceiver({ secret: 'not-the-app-secret', logger: silentLogger() });
    const rejected: number[] = [];
    receiver.on('rejected', (status) => rejected.push(status));
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });

    await expect(emulator.webhook.setUrl(server.url)).rejects.toThrow(/callback URL validation failed/);
    await emulator.webhook.setUrl(server.url, { validate: false });
    emulator.simulate.c2cMessage({ content: 'forged?' });
    const delivery = await emulator.recorder.waitFor(isWebhook);
    expect(delivery).toMatchObject({ status: 401, ack: null });
    expect(rejected).toEqual([401, 401]); // the validation request, then the delivery
  });
});
