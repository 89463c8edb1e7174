import type { IdentifyQueue, SessionStore } from '@bot/gateway';
import type { ClientConfig } from './ClientConfig.js';
import { DispatchSettings } from './dispatchSettings.js';
import { checkGatewayOptions, type GatewayOptions } from './GatewayOptions.js';
import {
  dispatchesOnThreads,
  shardThreads,
  withShardThreads,
  type ShardThreadsOptions,
} from './shardThreads.js';

/**
 * The builder steps of how a client connects its shards: the identify queue, the session store,
 * the gateway's own options and the worker threads. `ClientBuilder` inherits them, so they chain
 * like every other step.
 */
export abstract class GatewaySettings extends DispatchSettings {
  #identifyQueue: IdentifyQueue | undefined;
  #sessionStore: SessionStore | undefined;
  #gateway: GatewayOptions = {};
  #threads: ReturnType<typeof shardThreads> | undefined;

  /** Paces identifies through your queue (shared between processes, for example). */
  public identifyQueue(queue: IdentifyQueue): this {
    this.#identifyQueue = queue;
    return this;
  }

  /** The identify queue, if one was set (an in-memory one is made otherwise). */
  public getIdentifyQueue(): IdentifyQueue | undefined {
    return this.#identifyQueue;
  }

  /** Keeps sessions in your store, so a restarted process resumes instead of identifying. */
  public sessionStore(store: SessionStore): this {
    this.#sessionStore = store;
    return this;
  }

  /** The session store, if one was set (an in-memory one is made otherwise). */
  public getSessionStore(): SessionStore | undefined {
    return this.#sessionStore;
  }

  /**
   * Tunes the gateway: identify window (`identifyWindowMs`, 5 s), timeouts, reconnect `backoff`,
   * outbound `sendLimit`, `maxPayload`, `closeCodes` overrides, `onFatal` ('stopAll'), the
   * sessions' closing time `shutdownTimeoutMs` (5 s), … — every option of the gateway's
   * `ShardManager` the client does not set itself (see {@link GatewayOptions}), handed over as
   * given. Replaces earlier `gateway()` settings. Checked when the client is built.
   *
   * How many events a shard may hold in memory and how long `shutdown()` waits are the client's
   * own: see {@link ClientBuilder.backpressure} and {@link ClientBuilder.shutdownDeadline}.
   */
  public gateway(options: GatewayOptions): this {
    this.#gateway = options;
    return this;
  }

  /**
   * Runs the shards on `count` worker threads (shard `id` on thread `id % count`): sockets,
   * heartbeats, parsing and resumes happen there, so a handler that keeps the main thread busy
   * delays no heartbeat. Handlers, the identify queue and the session store stay on the main
   * thread. A thread that exits is restarted (`options.maxRestarts`, 5 in a row) and its shards
   * resume; past that they stop, and `error()` gets the `WorkerRestartsExhaustedError` their
   * `start*` call rejects with, once. Checked here; see `workerThreads` in the gateway for the options.
   *
   * With `options.handler`, a module whose default export is `defineThreadClient(…)`, the
   * handlers run on the threads instead, a client on each, so they use as many cores as there are
   * threads; this client then owns the shards, the identify queue and the session store. Its own
   * handlers may have only the lifecycle hooks: `shardStatus` and `shardsReady` fire only here (the
   * threads' clients own no shards), `error` gets the shards' failures (a `ThreadHandlerError` when
   * the module fails to set up), `ratelimit` and `restAttempt` this client's own requests. `build()` refuses an
   * event method or a raw handler here, as no event would reach it.
   */
  public workers(count: number, options: ShardThreadsOptions = {}): this {
    this.#threads = shardThreads(count, options);
    return this;
  }

  /**
   * Whether the handlers run on the worker threads: `workers(count, { handler })`, or a
   * `workerThreads({ handler })` strategy given to `gateway()`.
   */
  protected handlersOnThreads(): boolean {
    return dispatchesOnThreads(this.#threads ?? this.#gateway.strategy);
  }

  /** The gateway options (empty: the gateway's defaults). */
  public getGateway(): GatewayOptions {
    return this.#gateway;
  }

  /**
   * The gateway settings of the client's configuration, checked.
   *
   * @throws {@link ValidationError} naming a malformed gateway option, or when both `gateway()`
   *   and `workers()` name a sharding strategy
   */
  protected gatewayConfig(): Pick<ClientConfig, 'identifyQueue' | 'sessionStore' | 'gateway'> {
    checkGatewayOptions(this.#gateway);
    return {
      identifyQueue: this.#identifyQueue,
      sessionStore: this.#sessionStore,
      gateway: withShardThreads(this.#gateway, this.#threads),
    };
  }
}
