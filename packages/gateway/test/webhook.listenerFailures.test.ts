import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { WebhookReceiver, type WebhookReceiverOptions, type WebhookServer } from '@bot/gateway';
import type { Emulator, EmulatorRecord, WebhookRecord } from '@bot/testing';
import { startEmulator } from './support/emulator.js';
import { silentLogger } from './support/harness.js';

let emulator: Emulator | undefined;
let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  await emulator?.stop();
  server = undefined;
  emulator = undefined;
});

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

/**
 * The emulator, retrying a webhook delivery after 20 ms up to five times, and a receiver with
 * `options` behind its callback URL, errors collected.
 */
async function served(
  options: Partial<WebhookReceiverOptions> = {},
): Promise<{ emulator: Emulator; receiver: WebhookReceiver; errors: Error[] }> {
  const started = await startEmulator({ webhook: { retryDelays: [20, 20, 20, 20, 20] } });
  emulator = started;
  const receiver = new WebhookReceiver({ secret: started.secret, logger: silentLogger(), ...options });
  const errors: Error[] = [];
  receiver.on('error', (error) => errors.push(error));
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  await started.webhook.setUrl(server.url);
  return { emulator: started, receiver, errors };
}

/** Waits until the emulator has settled every delivery (at most 5 s), then lists them. */
async function deliveries(of: Emulator): Promise<WebhookRecord[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      of.webhook.idle(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('deliveries still retried after 5 s')), 5_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return of.recorder.filter(isWebhook);
}

describe("WebhookReceiver when a 'dispatch' listener throws", () => {
  it('answers 500 so that the platform delivers the event again, then acknowledges it handled', async () => {
    const { emulator, receiver, errors } = await served();
    const handled: string[] = [];
    let calls = 0;
    receiver.on('dispatch', (payload) => {
      calls++;
      if (calls === 1) throw new Error('downstream unavailable');
      handled.push(payload.id ?? '');
    });

    const published = emulator.simulate.c2cMessage({ content: 'hello' });
    const records = await deliveries(emulator);
    expect(records.map((record) => record.status)).toEqual([500, 200]);
    expect(records[1]).toMatchObject({ ack: 0, attempt: 2 });
    expect(handled).toEqual([published.id]);
    expect(errors.map((error) => error.message)).toEqual([
      `a 'dispatch' listener threw on event C2C_MESSAGE_CREATE ${published.id} (failed delivery 1 of 3): answered 500 so that the platform delivers it again`,
    ]);
    expect((errors[0]?.cause as Error).message).toBe('downstream unavailable');
  });

  it('gives an event up after dispatchAttempts deliveries, acknowledged and reported as lost', async () => {
    const { emulator, receiver, errors } = await served();
    let calls = 0;
    receiver.on('dispatch', () => {
      calls++;
      throw new Error('always broken');
    });

    const published = emulator.simulate.c2cMessage({ content: 'doomed' });
    const records = await deliveries(emulator);
    expect(records.map((record) => record.status)).toEqual([500, 500, 200]);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(3);
    expect(errors[2]?.message).toBe(
      `a 'dispatch' listener threw on event C2C_MESSAGE_CREATE ${published.id} (failed delivery 3 of 3): acknowledged, so the platform stops delivering it and the event is lost; see the cause, and raise dispatchAttempts if the listener needs more tries`,
    );
  });

  it('acknowledges at once with dispatchAttempts 1, still reporting the throw', async () => {
    const { emulator, receiver, errors } = await served({ dispatchAttempts: 1 });
    receiver.on('dispatch', () => {
      throw new Error('handler bug');
    });
    emulator.simulate.c2cMessage({ content: 'once' });
    const records = await deliveries(emulator);
    expect(records.map((record) => record.status)).toEqual([200]);
    expect(errors[0]?.message).toMatch(/\(failed delivery 1 of 1\): acknowledged/);
  });

  it('refuses a dispatchAttempts out of range', () => {
    for (const dispatchAttempts of [0, 1.5, 101])
      expect(() => new WebhookReceiver({ secret: 'secret', dispatchAttempts })).toThrow(ValidationError);
  });
});

describe("WebhookReceiver when a 'dispatch' listener's promise rejects", () => {
  it('with dispatchWaitMs, waits for it and answers 500 as for a throw, so that the platform delivers the event again', async () => {
    const { emulator, receiver, errors } = await served({ dispatchWaitMs: 3_000 });
    const downstream = new Error('forwarding to downstream failed');
    const forwarded: string[] = [];
    let calls = 0;
    receiver.on('dispatch', async (payload) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (calls === 1) throw downstream;
      forwarded.push(payload.id ?? '');
    });
    const published = emulator.simulate.c2cMessage({ content: 'async' });
    const records = await deliveries(emulator);
    expect(records.map((record) => record.status)).toEqual([500, 200]);
    expect(forwarded).toEqual([published.id]);
    expect(errors.map((error) => error.message)).toEqual([
      `a 'dispatch' listener rejected on event C2C_MESSAGE_CREATE ${published.id} (failed delivery 1 of 3): answered 500 so that the platform delivers it again`,
    ]);
    expect(errors[0]?.cause).toBe(downstream);
  });

  it('acknowledges after dispatchWaitMs, and reports a rejection after it as lost', async () => {
    const { emulator, receiver, errors } = await served({ dispatchWaitMs: 50 });
    const debug: string[] = [];
    receiver.on('debug', (message) => debug.push(message));
    let fail: ((error: Error) => void) | undefined;
    receiver.on('dispatch', () => new Promise<void>((_, reject) => (fail = reject)));
    const published = emulator.simulate.c2cMessage({ content: 'slow' });
    const records = await deliveries(emulator);
    expect(records.map((record) => record.status)).toEqual([200]);
    expect(debug).toContain(
      `acknowledged event C2C_MESSAGE_CREATE ${published.id} before its 'dispatch' listeners' promises settled: they took over dispatchWaitMs (50 ms)`,
    );
    expect(errors).toEqual([]);
    fail?.(new Error('too late'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors.map((error) => error.message)).toEqual([
      `a 'dispatch' listener rejected on event C2C_MESSAGE_CREATE ${published.id} after its delivery was answered, so the platform does not deliver it again for this failure: see the cause`,
    ]);
  });

  it('with dispatchWaitMs 0 acknowledges at once and reports the rejection', async () => {
    const { emulator, receiver, errors } = await served({ dispatchWaitMs: 0 });
    receiver.on('dispatch', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('no wait');
    });
    emulator.simulate.c2cMessage({ content: 'fire and forget' });
    const records = await deliveries(emulator);
    expect(records.map((record) => record.status)).toEqual([200]);
    const deadline = Date.now() + 2_000;
    while (errors.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors[0]?.message).toMatch(
      /rejected on event C2C_MESSAGE_CREATE .* after its delivery was answered/,
    );
  });

  it("of another event's listener is reported on error, not left unhandled", async () => {
    const { receiver, errors } = await served();
    const sink = new Error('rejection sink failed');
    receiver.on('rejected', async () => {
      throw sink;
    });
    const answer = await fetch(server?.url ?? '', { method: 'GET', signal: AbortSignal.timeout(2_000) });
    expect(answer.status).toBe(405);
    const deadline = Date.now() + 2_000;
    while (errors.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors.map((error) => error.message)).toEqual(["a 'rejected' listener rejected"]);
    expect(errors[0]?.cause).toBe(sink);
  });

  it('settles handle() once the answer that waited for the promise is written', async () => {
    const live = await startEmulator({ webhook: { retryDelays: [] } });
    emulator = live;
    const receiver = new WebhookReceiver({
      secret: live.secret,
      logger: silentLogger(),
      dispatchWaitMs: 1_000,
    });
    receiver.on('dispatch', () => new Promise<void>((resolve) => setTimeout(resolve, 50)));
    const settled: boolean[] = [];
    const own: Server = createServer(
      (request, response) =>
        void receiver.handle(request, response).then(() => settled.push(response.writableEnded)),
    );
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    try {
      await live.webhook.setUrl(`http://127.0.0.1:${(own.address() as AddressInfo).port}/`);
      live.simulate.c2cMessage({ content: 'handled' });
      const records = await deliveries(live);
      expect(records.map((record) => record.status)).toEqual([200]);
      // The URL validation, then the event: each settled with its answer written.
      expect(settled).toEqual([true, true]);
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
    }
  });

  it('refuses a dispatchWaitMs out of range', () => {
    for (const dispatchWaitMs of [-1, 0.5, 60_001])
      expect(() => new WebhookReceiver({ secret: 'secret', dispatchWaitMs })).toThrow(ValidationError);
  });
});
