import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, type ClientError } from '@bot/client';
import type { StuckThreadClientData } from './fixtures/stuckThreadClient.js';
import { recordingLogger } from './support/recordingLogger.js';

const STUCK_THREAD_CLIENT = new URL('./fixtures/stuckThreadClient.ts', import.meta.url);
const stops: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe("a thread client's failure given to a shard manager 'error' listener that throws", () => {
  it('is logged as a listener of the shard throwing, and the main thread goes on serving the shard', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    stops.push(() => emulator.stop());
    const { appId, secret, restUrl, tokenUrl } = emulator;
    const data: StuckThreadClientData = { appId, secret, restUrl, tokenUrl };
    const { log, lines } = recordingLogger();
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(appId, secret), Intents.all())
      .baseUrl(restUrl, tokenUrl)
      .logger(log)
      .workers(1, { handler: STUCK_THREAD_CLIENT, handlerData: data })
      .eventHandler({ error: (error) => void errors.push(error) });
    stops.push(() => client.shutdown());
    client.shardManager.on('error', () => {
      throw new Error('the listener broke');
    });
    client.startShards(1).catch(() => undefined);
    await expect
      .poll(() => client.shardManager.status().map((status) => status.state), { timeout: 20_000 })
      .toEqual(['ready']);

    emulator.simulate.groupAtMessage({ content: 'fail' });
    const threw = (): string[] =>
      lines
        .map((line) => String(line.message))
        .filter((text) => text.includes("an 'error' listener of the manager threw"));
    await expect.poll(threw, { timeout: 10_000 }).toHaveLength(1);
    expect(threw()[0]).toContain('the listener broke');

    // The thread's next failure still comes through: nothing was left half done by the throw.
    emulator.simulate.groupAtMessage({ content: 'fail' });
    await expect.poll(threw, { timeout: 10_000 }).toHaveLength(2);
    expect(client.shardManager.status().map((status) => status.state)).toEqual(['ready']);
  });
});
