import type { ShardManager, ShardManagerOptions } from '@bot/gateway';
import {
  RedisKeys,
  RedisSessionStore,
  RedisShardLeases,
  type RedisShardLeasesOptions,
} from '@bot/gateway/redis';
import type { Emulator, GatewayFrameRecord } from '@bot/testing';
import type { Redis } from 'ioredis';
import { emulatorManager, startEmulator } from '../../support/emulator.js';
import { capturingLogger } from '../../support/harness.js';
import type { RedisFixture, RedisNamespace } from './redisFixture.js';

/** The shard count of the lease tests' platform. */
export const SHARDS = 4;

/** An emulator for four shards, each in its own identify bucket (no pacing in the way). */
export async function leasePlatform(fixture: RedisFixture): Promise<Emulator> {
  const emulator = await startEmulator({
    shards: SHARDS,
    sessionStartLimit: { total: 1_000, maxConcurrency: SHARDS },
  });
  fixture.track(() => emulator.stop());
  return emulator;
}

/** A "process" of the lease tests: a manager, its leases, and the WARN lines it logged. */
export interface LeaseProcess {
  manager: ShardManager;
  leases: RedisShardLeases;
  warnings: () => string[];
}

/** A "process": a manager with its own leases and the shared Redis session store. */
export function gatewayProcess(
  fixture: RedisFixture,
  emulator: Emulator,
  ns: RedisNamespace,
  leaseOptions: Partial<RedisShardLeasesOptions> = {},
  connection: Redis = fixture.redis(),
  managerOptions: Partial<ShardManagerOptions> = {},
): LeaseProcess {
  const { logger, lines } = capturingLogger();
  const leases = new RedisShardLeases(connection, { ...ns, logger, ...leaseOptions });
  const sessionStore = new RedisSessionStore(fixture.redis(), { ...ns, logger, leases });
  const manager = emulatorManager(emulator, { sessionStore, shardLeases: leases, ...managerOptions });
  fixture.track(
    () => sessionStore.close(),
    () => manager.shutdownAll(),
  );
  return { manager, leases, warnings: () => lines.filter((line) => line.startsWith('WARN')) };
}

/** The key of shard `shardId`'s lease. */
export const ownerKey = (ns: RedisNamespace, shardId: number): string =>
  new RedisKeys(ns).shardOwner(shardId);

/** Whether `manager` runs `count` shards, all ready. */
export const allReady = (manager: ShardManager, count: number): boolean =>
  manager.status().length === count && manager.status().every((status) => status.state === 'ready');

/** The identifies and resumes the platform received for `shardId` (a resume names a session of it). */
export function sessionStarts(emulator: Emulator, shardId: number): GatewayFrameRecord[] {
  const sessions = new Set(
    emulator.recorder.records.flatMap((record) =>
      record.kind === 'sent' && record.shard?.[0] === shardId && record.sessionId !== null
        ? [record.sessionId]
        : [],
    ),
  );
  return emulator.recorder.filter(
    (record): record is GatewayFrameRecord =>
      record.kind === 'gateway' &&
      ((record.op === 2 && (record.d as { shard: [number, number] }).shard[0] === shardId) ||
        (record.op === 6 && sessions.has((record.d as { session_id: string }).session_id))),
  );
}

/** The WebSocket connections the platform accepted. */
export const opened = (emulator: Emulator): number =>
  emulator.recorder.filter((record) => record.kind === 'open').length;

/** Whether `holder` (a lease key's value) is a lease `leases` took: its owner name and a suffix per claim. */
export const heldBy = (holder: string | null, leases: RedisShardLeases): boolean =>
  holder !== null && holder.startsWith(`${leases.owner}#`);

/** Matches the tokens of the leases `leases` takes, for an error's `owner`. */
export const heldByPattern = (leases: RedisShardLeases): RegExp =>
  new RegExp(`^${leases.owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#[0-9a-f]{8}$`);
