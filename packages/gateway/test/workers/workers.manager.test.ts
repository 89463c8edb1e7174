import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShardManager, workerThreads, type DispatchPayload, type ShardManagerOptions } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { emulatorManager, guildOnShard, startEmulator } from '../support/emulator.js';

let emulator: Emulator | undefined;
let manager: ShardManager | undefined;

afterEach(async () => {
  await manager?.shutdownAll();
  await emulator?.stop();
  manager = undefined;
  emulator = undefined;
});

/** A manager whose shards run on `workers` threads against a fresh emulator (real clock: threads keep their own). */
async function workerManager(
  workers: number,
  shards: number,
  overrides: Partial<ShardManagerOptions> = {},
): Promise<{ emulator: Emulator; manager: ShardManager }> {
  emulator = await startEmulator({ pacing: 'instant', sessionStartLimit: { maxConcurrency: shards } });
  manager = emulatorManager(emulator, { strategy: workerThreads({ workers }), ...overrides });
  return { emulator, manager };
}

const allReady = (m: ShardManager, count: number) => (): void => {
  expect(m.status().map((status) => status.state)).toEqual(Array(count).fill('ready'));
};

describe('shards on worker threads', () => {
  it('runs startShards(4) on 2 threads: every shard ready, each event delivered once with its shard id', async () => {
    const { emulator, manager } = await workerManager(2, 4);
    const run = manager.startShards(4);
    await vi.waitFor(allReady(manager, 4), { timeout: 15_000, interval: 50 });
    const received: [string, number][] = [];
    manager.on('dispatch', (payload: DispatchPayload, shardId) => {
      if (payload.t === 'AT_MESSAGE_CREATE') received.push([payload.id ?? '', shardId]);
    });
    const published: [string, number][] = [];
    for (let i = 0; i < 200; i++) {
      const shard = i % 4;
      const event = emulator.simulate.dispatch(
        'AT_MESSAGE_CREATE',
        { content: `#${i}` },
        { guildId: guildOnShard(shard, 4, i) },
      );
      published.push([event.id, shard]);
    }
    await vi.waitFor(() => expect(received).toHaveLength(200), { timeout: 10_000, interval: 20 });
    expect(received.sort()).toEqual(published.sort());
    await manager.shutdownAll();
    await expect(run).resolves.toBeUndefined();
  });
});
