import { createServer } from 'node:http';
import { Server, type AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  Client,
  ClientShutDownError,
  Intents,
  Token,
  ValidationError,
  type WebhookServer,
} from '@bot/client';

/** A client whose REST goes nowhere: these tests only listen. */
async function idleClient(): Promise<Client> {
  const client = await Client.builder(new Token('102000000', 'secretsecretsecret'), Intents.default())
    .baseUrl('http://127.0.0.1:9', 'http://127.0.0.1:9/token')
    .eventHandler({});
  onTestFinished(() => client.shutdown());
  return client;
}

/** What a POST to `url` gets: its status, or the network error's code. */
async function answerOf(url: string): Promise<number | string> {
  try {
    return (await fetch(url, { method: 'POST', body: '{}' })).status;
  } catch (error) {
    return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? String(error);
  }
}

describe('startWebhook called twice', () => {
  it('refuses the second call with a ValidationError; shutdown() closes the one server', async () => {
    const client = await idleClient();
    const first = await client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });
    const second = client.startWebhook({ port: 0, host: '127.0.0.1', path: '/qq' });
    await expect(second).rejects.toBeInstanceOf(ValidationError);
    await expect(second).rejects.toThrow(`already listens at ${first.url}`);
    await client.shutdown();
    expect(await answerOf(first.url)).toBe('ECONNREFUSED');
    expect(first.server.listening).toBe(false);
  });

  it('refuses a call made while the first is still starting to listen', async () => {
    const client = await idleClient();
    const calls = await Promise.allSettled([
      client.startWebhook({ port: 0, host: '127.0.0.1' }),
      client.startWebhook({ port: 0, host: '127.0.0.1' }),
    ]);
    expect(calls.map((call) => call.status)).toEqual(['fulfilled', 'rejected']);
    expect((calls[1] as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    await client.shutdown();
    const listening = calls[0] as PromiseFulfilledResult<WebhookServer>;
    expect(listening.value.server.listening).toBe(false);
  });

  it('lets a call after a failed listen try again', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;
    const client = await idleClient();
    await expect(client.startWebhook({ port, host: '127.0.0.1' })).rejects.toThrow(/another server listens/);
    const server = await client.startWebhook({ port: 0, host: '127.0.0.1' });
    expect(server.server.listening).toBe(true);
  });

  it('closes a server that began listening as shutdown() began, and says so', async () => {
    const client = await idleClient();
    // The server never reaches the caller: caught as it starts to listen.
    const listens = vi.spyOn(Server.prototype, 'listen');
    onTestFinished(() => listens.mockRestore());
    const listening = client.startWebhook({ port: 0, host: '127.0.0.1' });
    const listened: WebhookServer[] = [];
    void listening.then(
      (server) => listened.push(server),
      () => {},
    );
    await client.shutdown();
    await expect(listening).rejects.toBeInstanceOf(ClientShutDownError);
    expect(listened).toEqual([]);
    // Nothing of it is left to keep the process alive.
    const started = listens.mock.contexts as Server[];
    expect(started).toHaveLength(1);
    expect(started[0]!.listening).toBe(false);
  });
});
