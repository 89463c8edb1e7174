import { hostname } from 'node:os';
import { ValidationError } from '@bot/http';
import type { ShardRange } from '@bot/gateway';
import { Intents } from '@bot/client';

/** Environment variables of the distributed example. */
export const DISTRIBUTED_ENV = {
  /** Redis URL shared by every process of the bot, for example `redis://redis:6379/0`. */
  redisUrl: 'REDIS_URL',
  /** Number of gateway processes (the StatefulSet's `replicas`). */
  gatewayProcesses: 'GATEWAY_PROCESSES',
  /** Shard count of the bot; `/gateway/bot`'s recommendation when unset. */
  totalShards: 'TOTAL_SHARDS',
  /** This process's index; read from the host name's `-<n>` suffix (a StatefulSet pod) when unset. */
  ordinal: 'GATEWAY_ORDINAL',
  /**
   * This worker's number among the workers of its host, for several per host: its consumer name
   * becomes `<host>-<n>`, the same after every restart. Unset: the host name alone.
   */
  workerOrdinal: 'WORKER_ORDINAL',
} as const;

/** What the gateway processes subscribe to: guild @-messages, groups and C2C chats. */
export const GATEWAY_INTENTS = Intents.default().withGroupAndC2cEvent();

/** Reads an environment variable that must be set. */
export function requiredEnv(
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ValidationError(name, 'must be set in the environment');
  return value;
}

/**
 * This process's index among the gateway processes: `GATEWAY_ORDINAL`, or the number a
 * Kubernetes StatefulSet puts at the end of each pod's host name (`bot-gateway-2` → 2).
 */
export function gatewayOrdinal(
  env: Readonly<Record<string, string | undefined>> = process.env,
  host = hostname(),
): number {
  const raw = env[DISTRIBUTED_ENV.ordinal] ?? /-(\d+)$/.exec(host)?.[1];
  const ordinal = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(ordinal) || ordinal < 0) {
    throw new ValidationError(
      DISTRIBUTED_ENV.ordinal,
      `must be set, or the host name must end in -<n> (host "${host}")`,
    );
  }
  return ordinal;
}

/**
 * The shards process `ordinal` of `processes` runs out of `total`: contiguous ranges, the first
 * `total % processes` processes taking one shard more. 6 shards over 3 processes: 0–1, 2–3, 4–5.
 *
 * @throws {@link ValidationError} when the ordinal is out of range or there are more processes than shards
 */
export function shardRangeOf(ordinal: number, processes: number, total: number): ShardRange {
  if (!Number.isSafeInteger(processes) || processes < 1 || processes > total) {
    throw new ValidationError('processes', `must be from 1 to the shard count ${total} (got ${processes})`);
  }
  if (!Number.isSafeInteger(ordinal) || ordinal < 0 || ordinal >= processes) {
    throw new ValidationError('ordinal', `must be from 0 to ${processes - 1} (got ${ordinal})`);
  }
  const base = Math.floor(total / processes);
  const extra = total % processes;
  const from = ordinal * base + Math.min(ordinal, extra);
  return { from, to: from + base + (ordinal < extra ? 1 : 0) - 1 };
}
