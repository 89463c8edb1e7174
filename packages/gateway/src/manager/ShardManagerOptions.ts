import type { Intents } from '@bot/core';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { SessionStore } from '../session/SessionStore.js';
import type { ShardBehaviour, ShardOptions } from '../shard/ShardOptions.js';
import type { TokenSource } from '../shard/TokenSource.js';
import type { GatewayInfoSource } from './GatewayInfoSource.js';
import type { ShardLeases } from './ShardLeases.js';
import type { ShardStrategy } from './ShardStrategy.js';

/** What happens to the other shards when one fails for good. */
export type FatalPolicy =
  /** Shut every shard down; every running `start*` promise rejects with the error. */
  | 'stopAll'
  /** Leave the healthy shards running; only the failed shard's `start*` promise rejects. */
  | 'keepHealthy';

/** Options of a {@link ShardManager}. */
export interface ShardManagerOptions extends ShardBehaviour {
  /** The events every shard subscribes to: an `Intents` set (`Intents.of('GUILDS', …)`), or its bits. */
  intents: Intents | number;
  /** Access tokens (`restClient.tokens` fits). */
  tokens: TokenSource;
  /** `GET /gateway/bot` (`gatewayInfoFromRest(restClient)` fits). */
  gateway: GatewayInfoSource;
  /**
   * Identify pacing shared by every shard. By default an in-memory queue built from the
   * `/gateway/bot` budget; pass a shared one when shards of one bot run in several processes.
   */
  identifyQueue?: IdentifyQueue | undefined;
  /** Identify window of the default queue in milliseconds (5 s by default). */
  identifyWindowMs?: number | undefined;
  /** Where sessions are kept; in memory by default. */
  sessionStore?: SessionStore | undefined;
  /**
   * Ownership of shards across processes (`RedisShardLeases` from `@bot/gateway/redis`): each
   * shard starts only once this process holds its lease, so two processes given overlapping ranges
   * never both run one. None by default (every process trusts its range).
   */
  shardLeases?: ShardLeases | undefined;
  /** Reaction to a fatal close ('stopAll' by default). */
  onFatal?: FatalPolicy | undefined;
  /** Deadline of `shutdownAll()` and `handoff()` in milliseconds (5 s by default). */
  shutdownTimeoutMs?: number | undefined;
  /**
   * Where the shards run: on this thread (`inProcessShards`, the default) or on worker threads
   * (`workerThreads({ workers: 2 })`), which keeps heartbeats on time while handlers are busy.
   */
  strategy?: ShardStrategy | undefined;
  /**
   * Receives every dispatch of every shard, called by the shard directly (one call per event, no
   * emitter in between), before the manager's `dispatch` listeners; those are emitted to only
   * while there are any. For the one consumer that takes every event, such as a client's handlers.
   * One that throws, or returns a promise that rejects, is reported on `error`; nothing waits for it.
   */
  onDispatch?: ((payload: DispatchPayload, shardId: number) => void) | undefined;
}

/**
 * The options of one of a manager's shards: the manager's own options left out (`gateway`,
 * `onFatal`, `shutdownTimeoutMs`, `identifyWindowMs`, `strategy`, `onDispatch`, `shardLeases`), the rest passed on as given, and what the
 * manager gives each shard.
 *
 * @param options - the manager's options
 * @param given - the shard's id and count, the gateway URL, and what the manager's shards share
 */
export function shardOptionsOf(
  options: ShardManagerOptions,
  given: Pick<
    ShardOptions,
    | 'id'
    | 'total'
    | 'gatewayUrl'
    | 'identifyQueue'
    | 'sessionStore'
    | 'logger'
    | 'onDispatch'
    | 'sessionStartTotal'
  >,
): ShardOptions {
  const {
    gateway: _gateway,
    onFatal: _onFatal,
    shutdownTimeoutMs: _timeout,
    identifyWindowMs: _window,
    strategy: _strategy,
    onDispatch: _onDispatch,
    shardLeases: _leases,
    ...behaviour
  } = options;
  return { ...behaviour, ...given };
}
