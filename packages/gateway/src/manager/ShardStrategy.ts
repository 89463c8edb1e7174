import type { BotLogger } from '@bot/core';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { SessionStore } from '../session/SessionStore.js';
import { Shard } from '../shard/Shard.js';
import type { ShardHandle } from './ShardHandle.js';
import { shardOptionsOf, type ShardManagerOptions } from './ShardManagerOptions.js';

/** What a {@link ShardStrategy} creates one shard with: its identity and what the manager's shards share. */
export interface ShardContext {
  /** Shard id. */
  id: number;
  /** Shard count. */
  total: number;
  /** Where the shard connects, from `/gateway/bot`. */
  gatewayUrl: string;
  /** The one identify queue of the manager. */
  identifyQueue: IdentifyQueue;
  /**
   * The bot's daily session start budget, `session_start_limit.total` of `/gateway/bot`: the
   * shard's `sessionStartTotal` option.
   */
  sessionStartTotal: number;
  /** The one session store of the manager. */
  sessionStore: SessionStore;
  /** The manager's logger. */
  logger: BotLogger;
  /** The manager's options, as given. */
  options: ShardManagerOptions;
  /**
   * Where the shard delivers every dispatch: the manager's one path to its client and its
   * `dispatch` listeners. A strategy must hand each dispatch of the shard here exactly once, in
   * the order the shard read them.
   */
  onDispatch: (payload: DispatchPayload) => void;
}

/**
 * Where a {@link ShardManager}'s shards run. The manager keeps the checks, the identify queue, the
 * session store and the events; the strategy only creates each shard. `inProcessShards` (the
 * default) runs them on the calling thread; `workerThreads(…)` runs them on worker threads.
 */
export interface ShardStrategy {
  /** A name for logs, e.g. `in-process` or `2 worker threads`. */
  readonly name: string;
  /**
   * Refuses manager options the strategy cannot carry out, when the manager is built.
   *
   * @throws {@link ValidationError} naming the option
   */
  check?(options: ShardManagerOptions): void;
  /** Creates one shard, not started yet. */
  create(context: ShardContext): ShardHandle;
  /**
   * Resolves once what the strategy runs for shards that are all closed now has ended (worker
   * threads, after their handler's `close()`), within a deadline of its own. A shutdown waits for
   * it, so the process may exit when it resolves.
   */
  ended?(): Promise<void>;
}

/** Runs every shard on the manager's own thread, as a `Shard`. */
export const inProcessShards: ShardStrategy = {
  name: 'in-process',
  create: ({
    id,
    total,
    gatewayUrl,
    identifyQueue,
    sessionStartTotal,
    sessionStore,
    logger,
    options,
    onDispatch,
  }) =>
    new Shard(
      shardOptionsOf(options, {
        id,
        total,
        gatewayUrl,
        identifyQueue,
        sessionStartTotal,
        sessionStore,
        logger,
        onDispatch,
      }),
    ),
};
