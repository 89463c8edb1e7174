import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Deferred } from '@bot/core';
import type { Emulator } from '@bot/testing';
import {
  InMemorySessionStore,
  ShutDownBeforeStartError,
  type GatewayBotInfo,
  type SessionInfo,
  type ShardManager,
} from '@bot/gateway';
import { emulatorGatewayInfo, emulatorManager, startEmulator } from './support/emulator.js';

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
  emulator = await startEmulator();
});

afterEach(async () => {
  await emulator.stop();
});

/** Every shard state change the manager reports, as `id:state`. */
function statesOf(manager: ShardManager): string[] {
  const states: string[] = [];
  manager.on('state', (state, _previous, id) => states.push(`${id}:${state}`));
  return states;
}

const opened = (): number => emulator.recorder.filter((record) => record.kind === 'open').length;

describe('ShardManager shut down while a start call is still checking', () => {
  it('shutdownAll() during the session budget check cancels the call: no shard is created or connects', async () => {
    emulator.setSessionsRemaining(0); // the check reads stored sessions only when the budget is short
    const sessionStore = new HeldSessionStore();
    const manager = emulatorManager(emulator, { sessionStore });
    const states = statesOf(manager);
    const run = manager.startShards(2);
    run.catch(() => undefined);
    await sessionStore.reads.promise;
    await manager.shutdownAll();
    await expect(run).rejects.toBeInstanceOf(ShutDownBeforeStartError);
    await expect(run).rejects.toThrow(
      'startShards(2) was shut down before it started shards 0, 1; none of them was created: call it again to start them',
    );
    sessionStore.release.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(manager.shards.size).toBe(0);
    expect(states).toEqual([]);
    expect(opened()).toBe(0);
  });

  it('rejects at once, without waiting for a session store that never answers', async () => {
    emulator.setSessionsRemaining(0); // the check reads stored sessions only when the budget is short
    const sessionStore = new HeldSessionStore();
    const manager = emulatorManager(emulator, { sessionStore });
    const run = manager.start();
    run.catch(() => undefined);
    await sessionStore.reads.promise;
    await manager.shutdownAll();
    await expect(run).rejects.toBeInstanceOf(ShutDownBeforeStartError);
    expect(manager.shards.size).toBe(0);
  });

  it('shutdown(id) of a shard still starting cancels its call and frees its ids for another start', async () => {
    emulator.setSessionsRemaining(0); // the check reads stored sessions only when the budget is short
    const sessionStore = new HeldSessionStore();
    const manager = emulatorManager(emulator, { sessionStore });
    const run = manager.startShard(1, 2);
    run.catch(() => undefined);
    await sessionStore.reads.promise;
    await expect(manager.shutdown(1)).resolves.toBeUndefined();
    await expect(run).rejects.toMatchObject({ call: 'startShard(1, 2)', ids: [1] });
    sessionStore.release.resolve();
    emulator.setSessionsRemaining(1);
    const again = manager.startShard(1, 2);
    await expect.poll(() => manager.status().map((status) => status.state)).toEqual(['ready']);
    await manager.shutdownAll({ invalidateSessions: true });
    await again;
  });

  it('startAutosharded() shut down while /gateway/bot answers creates no shard', async () => {
    const answer = new Deferred<GatewayBotInfo>();
    const asked = new Deferred<void>();
    const manager = emulatorManager(emulator, {
      gateway: {
        gatewayBot: () => {
          asked.resolve();
          return answer.promise;
        },
      },
    });
    const states = statesOf(manager);
    const run = manager.startAutosharded();
    run.catch(() => undefined);
    await asked.promise;
    await manager.shutdownAll();
    await expect(run).rejects.toThrow('startAutosharded() was shut down before it started any shard');
    answer.resolve(await emulatorGatewayInfo(emulator).gatewayBot());
    await new Promise((resolve) => setImmediate(resolve));
    expect(manager.shards.size).toBe(0);
    expect(states).toEqual([]);
  });
});
