import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, type ClientError } from '@bot/client';
import { recordingLogger } from './support/recordingLogger.js';

/** An emulator that delivers each event once (no retries), and the number of deliveries it answered 401. */
async function emulatorCounting401(): Promise<{ emulator: Emulator; refused: () => number }> {
  const emulator = await Emulator.start({ grantedIntents: 'all', webhook: { retryDelays: [] } });
  onTestFinished(() => emulator.stop());
  const refused = (): number =>
    emulator.recorder.records.filter((record) => record.kind === 'webhook' && record.status === 401).length;
  return { emulator, refused };
}

describe('Client.startWebhook with a wrong AppSecret', () => {
  it('tells error() what is refused and to check the AppSecret: once at once, then a count when the server closes, not once per delivery', async () => {
    const { emulator, refused } = await emulatorCounting401();
    const errors: ClientError[] = [];
    const { log, lines } = recordingLogger();
    const client = await Client.builder(new Token(emulator.appId, 'wrong-secret'), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(log)
      .eventHandler({ error: (error) => void errors.push(error) });
    const server = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });

    await expect(emulator.webhook.setUrl(server.url)).rejects.toThrow(/answered HTTP 401/);
    await emulator.webhook.setUrl(server.url, { validate: false });
    for (let i = 0; i < 4; i += 1) emulator.simulate.c2cMessage({ content: `lost ${i}` });
    await expect.poll(refused).toBe(4);
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({
      kind: 'gateway',
      name: 'WebhookRefusalsError',
      code: 'badSignature',
      count: 1,
    });
    expect(errors[0]?.message).toMatch(/AppSecret/);

    await client.shutdown();
    await expect.poll(() => errors.length).toBe(2);
    expect(errors[1]).toMatchObject({ code: 'badSignature', count: 4 });
    expect(lines).toEqual([]); // error() had it; the client logs what no handler takes
  });

  it('logs the report as an error when no handler has error()', async () => {
    const { emulator } = await emulatorCounting401();
    const { log, lines } = recordingLogger();
    const client = await Client.builder(new Token(emulator.appId, 'wrong-secret'), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(log)
      .eventHandler({});
    onTestFinished(() => client.shutdown());
    const server = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });

    await expect(emulator.webhook.setUrl(server.url)).rejects.toThrow(/answered HTTP 401/);

    await expect
      .poll(() => lines.filter((line) => /badSignature.*AppSecret/.test(String(line.message))))
      .toHaveLength(1);
    expect(lines.find((line) => /AppSecret/.test(String(line.message)))?.level).toBe('ERROR');
  });

  it("reports what is still counted on a receiver mounted on the application's own server when the client shuts down", async () => {
    const { emulator, refused } = await emulatorCounting401();
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(emulator.appId, 'wrong-secret'), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(recordingLogger().log)
      .eventHandler({ error: (error) => void errors.push(error) });
    const receiver = client.webhookReceiver({ path: '/qq' });
    const server = createServer(receiver.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;

    await emulator.webhook.setUrl(`http://127.0.0.1:${port}/qq`, { validate: false });
    for (let i = 0; i < 3; i += 1) emulator.simulate.c2cMessage({ content: `lost ${i}` });
    await expect.poll(refused).toBe(3);
    await expect.poll(() => errors.length).toBe(1);

    // The application's server stays up: only the client's shutdown can say what it counted.
    await client.shutdown();
    await expect.poll(() => errors.length).toBe(2);
    expect(errors[1]).toMatchObject({ code: 'badSignature', count: 2 });
  });
});
