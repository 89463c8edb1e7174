import { ValidationError } from '@bot/core';
import type { ShardManagerOptions } from '../manager/ShardManagerOptions.js';
import type { ShardBehaviour } from '../shard/ShardOptions.js';

/** The shard options that cross to a worker thread: plain data, which a structured clone carries. */
const WORKER_BEHAVIOUR_KEYS = [
  'closeCodes',
  'presence',
  'timeouts',
  'backoff',
  'sendLimit',
  'maxPayload',
  'seqFlushDelayMs',
  'maxAuthFailures',
] as const satisfies readonly (keyof ShardBehaviour)[];

/**
 * The shard options a worker thread receives (see `WORKER_BEHAVIOUR_KEYS`). The wire protocol,
 * the intent namer and the logger are functions or objects with methods, so a worker shard speaks
 * the QQ protocol, names intent bits with `Intents.nameOf`, and logs through the manager's logger
 * on the main thread.
 */
export type WorkerShardBehaviour = Pick<ShardBehaviour, (typeof WORKER_BEHAVIOUR_KEYS)[number]>;

/**
 * The plain-data shard options of a manager, for its worker threads.
 *
 * @param options - the manager's options
 * @throws {@link ValidationError} for a custom `protocol`, which cannot cross to a worker thread
 */
export function workerBehaviourOf(options: ShardManagerOptions): WorkerShardBehaviour {
  if (options.protocol !== undefined) {
    throw new ValidationError(
      'protocol',
      'cannot be carried to worker threads (it is an object with methods): worker shards speak the QQ protocol; leave protocol unset or run the shards in-process',
    );
  }
  const behaviour: WorkerShardBehaviour = {};
  for (const key of WORKER_BEHAVIOUR_KEYS) {
    if (options[key] !== undefined) Object.assign(behaviour, { [key]: options[key] });
  }
  return structuredClone(behaviour);
}
