import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Deferred } from '@bot/core';
import {
  Client,
  InMemorySessionStore,
  Intents,
  Token,
  createLogger,
  type ClientError,
  type SessionInfo,
} from '@bot/client';

/** A session store whose reads wait until the test lets them through. */
class HeldSessionStore extends InMemorySessionStore {
  public readonly reads = new Deferred<void>();
  public readonly release = new Deferred<void>();

  public override async get(shardId: number): Promise<SessionInfo | undefined> {
    this.reads.resolve();
    await this.release.promise;
    return super.get(shardId);
  }
}

let emulator: Emulator;

beforeEach(async () => {
  emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
});

afterEach(async () => {
  await emulator.stop();
});

describe('Client.shutdown while a start call is still checking', () => {
  it('cancels the start: it resolves, as a start does once shut down, no shard connects afterwards and error() hears nothing', async () => {
    emulator.setSessionsRemaining(0); // the start check reads stored sessions only when the budget is short
    const sessionStore = new HeldSessionStore();
    const errors: ClientError[] = [];
    const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .logger(createLogger('test', 7))
      .sessionStore(sessionStore)
      .eventHandler({ error: (error) => void errors.push(error) });
    const states: string[] = [];
    client.shardManager.on('state', (state, _previous, id) => states.push(`${id}:${state}`));

    const running = client.start();
    running.catch(() => undefined);
    await sessionStore.reads.promise;
    await client.shutdown();
    await expect(running).resolves.toBeUndefined();
    sessionStore.release.resolve();
    await new Promise((resolve) => setImmediate(resolve));

    expect(client.shardManager.shards.size).toBe(0);
    expect(states).toEqual([]);
    expect(emulator.recorder.filter((record) => record.kind === 'open')).toEqual([]);
    expect(errors).toEqual([]);
  });
});
