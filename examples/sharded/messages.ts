import type { ShardRange } from '@bot/gateway';

/** The sharded bot's size: four shards, run as two processes of two. */
export const SHARD_COUNT = 4;

/** Which shards each worker process runs; both ends of a range are included. */
export const WORKER_RANGES: readonly ShardRange[] = [
  { from: 0, to: 1 },
  { from: 2, to: 3 },
];

/** What a worker tells the parent process over the IPC channel. */
export type WorkerMessage =
  /** Every shard of the worker is READY. */
  | { type: 'ready'; shardIds: number[] }
  /** The worker handled a guild message on one of its shards. */
  | { type: 'handled'; eventId: string; shardId: number };

/** Narrows an IPC message to a {@link WorkerMessage}. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message['type'] === 'ready') return Array.isArray(message['shardIds']);
  return (
    message['type'] === 'handled' &&
    typeof message['eventId'] === 'string' &&
    typeof message['shardId'] === 'number'
  );
}

/** `0–1`: how a range is shown. */
export function rangeLabel(range: ShardRange): string {
  return `${range.from}–${range.to}`;
}
