import { expect } from 'vitest';
import type { DispatchPayload, ShardManager, ShardManagerOptions, WorkerThreadsStrategy } from '@bot/gateway';
import type { Emulator, EmulatorOptions } from '@bot/testing';
import { guildOnShard } from '../../support/emulator.js';
import type { EmulatorOfTest } from '../../support/emulatorTest.js';
import { workerEmulator } from './workerEmulator.js';

// What the tests of a manager running its shards on worker threads share.

/** A manager whose shards run on worker threads against the emulator (real clock: threads keep their own). */
export function workerManager(
  emulatorOfTest: EmulatorOfTest,
  strategy: WorkerThreadsStrategy,
  overrides: Partial<ShardManagerOptions> = {},
): ShardManager {
  return emulatorOfTest.manager({ strategy, ...overrides });
}

/** The test's emulator, with room for `shards` identifies at once and a resume buffer of 2,000. */
export function emulatorFor(
  emulatorOfTest: EmulatorOfTest,
  shards: number,
  options: EmulatorOptions = {},
): Promise<Emulator> {
  return workerEmulator(emulatorOfTest, {
    sessionStartLimit: { maxConcurrency: shards },
    resumeBufferSize: 2_000,
    ...options,
  });
}

const states = (manager: ShardManager): string[] => manager.status().map((status) => status.state);
/** A `vi.waitFor` check: `manager` runs `count` shards, every one ready. */
export const allReady = (manager: ShardManager, count: number) => (): void => {
  expect(states(manager)).toEqual(Array(count).fill('ready'));
};

/** Publishes `count` guild messages spread over `shards` shards; returns their event ids. */
export function publish(emu: Emulator, count: number, shards: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const shard = (from + i) % shards;
    return emu.simulate.dispatch(
      'AT_MESSAGE_CREATE',
      { content: `#${from + i}` },
      { guildId: guildOnShard(shard, shards, from + i) },
    ).id;
  });
}

/** Collects the ids of the guild messages the manager delivers. */
export function collect(manager: ShardManager): string[] {
  const ids: string[] = [];
  manager.on('dispatch', (payload: DispatchPayload) => {
    if (payload.t === 'AT_MESSAGE_CREATE') ids.push(payload.id ?? '');
  });
  return ids;
}

/** How many gateway frames with opcode `op` the emulator received. */
export const gatewayFrames = (emu: Emulator, op: number): number =>
  emu.recorder.filter((record) => record.kind === 'gateway' && record.op === op).length;

/** The seq of each heartbeat the emulator received (what the shard acknowledged), in order. */
export const heartbeatSeqs = (emu: Emulator): Array<number | null> =>
  emu.recorder
    .filter(() => true)
    .flatMap((record) => (record.kind === 'gateway' && record.op === 1 ? [record.d as number | null] : []));

/** The close codes of the gateway connections that ended. */
export const closeCodes = (emu: Emulator): number[] =>
  emu.recorder.filter(() => true).flatMap((record) => (record.kind === 'close' ? [record.code] : []));

/** The seq the emulator sent the event `id` with. */
export function seqOf(emu: Emulator, id: string): number {
  for (const record of emu.recorder.filter((r) => r.kind === 'sent')) {
    if (record.kind !== 'sent') continue;
    const d = record.payload.d as { id?: unknown } | undefined;
    if ((record.payload.id === id || d?.id === id) && typeof record.payload.s === 'number')
      return record.payload.s;
  }
  throw new Error(`event ${id} was not sent`);
}
