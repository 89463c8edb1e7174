import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, createLogger, type EventHandler } from '@bot/client';

/** Listens on 127.0.0.1, a free port; resolves with the base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("Client.webhookReceiver: the client's webhook on the application's own HTTP server", () => {
  it('validates the callback URL, feeds the same handlers, leaves the other routes to the application, and refuses deliveries with 503 once the client shuts down', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', webhook: { retryDelays: [50] } });
    onTestFinished(() => emulator.stop());
    const handled: string[] = [];
    const handler: EventHandler = {
      groupMessageCreate(_ctx, message) {
        handled.push(message.cleanContent);
      },
    };
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .eventHandler(handler);
    const receiver = client.webhookReceiver({ path: '/qq' });
    const server = createServer((request, response) => {
      if (request.url === '/health') response.end('ok');
      else receiver.handler(request, response);
    });
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = await listen(server);

    await emulator.webhook.setUrl(`${base}/qq`);
    emulator.simulate.groupAtMessage({ content: 'through my server' });
    await expect.poll(() => handled).toEqual(['through my server']);
    expect(await (await fetch(`${base}/health`)).text()).toBe('ok');

    await client.shutdown();
    emulator.simulate.groupAtMessage({ content: 'after shutdown' });
    const refusedAfterShutdown = (): boolean =>
      emulator.recorder.filter((record) => record.kind === 'webhook' && record.status === 503).length > 0;
    await expect.poll(refusedAfterShutdown).toBe(true);
    expect(handled).toEqual(['through my server']);
  });
});
