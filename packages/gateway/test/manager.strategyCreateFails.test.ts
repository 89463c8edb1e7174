import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Emulator } from '@bot/testing';
import { GatewayError, inProcessShards, type ShardHandle, type ShardStrategy } from '@bot/gateway';
import { emulatorManager, startEmulator } from './support/emulator.js';

let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  vi.useRealTimers();
  await emulator.stop();
});

/** Creates shards in-process, except shard `failingId`, whose creation throws `cause`. */
function strategyFailingAt(
  failingId: number,
  cause: Error,
): { strategy: ShardStrategy; created: ShardHandle[] } {
  const created: ShardHandle[] = [];
  const strategy: ShardStrategy = {
    name: 'flaky strategy',
    create: (context) => {
      if (context.id === failingId) throw cause;
      const shard = inProcessShards.create(context);
      vi.spyOn(shard, 'close');
      created.push(shard);
      return shard;
    },
  };
  return { strategy, created };
}

const opened = (): number => emulator.recorder.filter((record) => record.kind === 'open').length;

describe('ShardManager when the strategy cannot create a shard', () => {
  it('rejects the start call naming the shard and the cause, and closes the shards it had created', async () => {
    const cause = new Error('no thread left');
    const { strategy, created } = strategyFailingAt(1, cause);
    const manager = emulatorManager(emulator, { strategy });
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });

    const error: unknown = await manager.startShards(3).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'gateway', shardId: 1, cause });
    expect((error as Error).message).toBe(
      'shard 1: startShards(3) could not create this shard: flaky strategy threw "no thread left"; ' +
        'shard 0 it had created was closed and none of the call connected: fix the strategy and call it again',
    );
    // Shard 0 was created, never started, then closed: nothing of the call is left to run.
    expect(created.map((shard) => [shard.id, shard.state])).toEqual([[0, 'idle']]);
    expect(created[0]?.close).toHaveBeenCalledOnce();
    expect(created[0]?.listenerCount('state')).toBe(0);
    expect(manager.shards.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(opened()).toBe(0);
  });

  it('frees the ids of the failed call, so the same call can run again', async () => {
    let failures = 1;
    const strategy: ShardStrategy = {
      name: 'fails once',
      create: (context) => {
        if (context.id === 0 && failures-- > 0) throw new Error('not yet');
        return inProcessShards.create(context);
      },
    };
    const manager = emulatorManager(emulator, { strategy });
    await expect(manager.start()).rejects.toThrow('shard 0: start() could not create this shard');

    const run = manager.start();
    run.catch(() => undefined);
    await vi.waitFor(() => expect(manager.status().map((status) => status.state)).toEqual(['ready']));
    await manager.shutdownAll();
    await expect(run).resolves.toBeUndefined();
  });
});
