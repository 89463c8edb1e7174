import type { BotLogger } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { RunningGroups } from './ShardGroup.js';
import type { ShardHandle } from './ShardHandle.js';
import type { ShardManager } from './ShardManager.js';
import type { FatalPolicy } from './ShardManagerOptions.js';
import type { ShardRoster } from './ShardRoster.js';
import { ThreadErrorReports } from './ThreadErrorReports.js';

/** What {@link ShardFailures} uses of its manager. */
type FailingManager = Pick<ShardManager, 'emit' | 'listenerCount' | 'shutdown' | 'shutdownAll'>;

/**
 * What a manager does when its shards fail: passes each error on to its `error` listeners (or
 * logs it without any), and on a failure for good fails the shard's `start*` call and applies the
 * {@link FatalPolicy}.
 */
export class ShardFailures {
  readonly #manager: FailingManager;
  readonly #roster: ShardRoster;
  readonly #groups: RunningGroups;
  readonly #log: BotLogger;
  readonly #onFatal: FatalPolicy;
  /** One several shards report (their thread's failure) is emitted once. */
  readonly #threadErrors = new ThreadErrorReports();

  /**
   * @param manager - the manager whose shards these are
   * @param roster - its running shards
   * @param groups - its `start*` calls still running
   * @param log - its logger
   * @param onFatal - its policy on a failure for good
   */
  public constructor(
    manager: FailingManager,
    roster: ShardRoster,
    groups: RunningGroups,
    log: BotLogger,
    onFatal: FatalPolicy,
  ) {
    this.#manager = manager;
    this.#roster = roster;
    this.#groups = groups;
    this.#log = log;
    this.#onFatal = onFatal;
  }

  /** Passes on an error shard `id` reported. */
  public forward(error: Error, id: number): void {
    if (!this.#threadErrors.passes(error)) return;
    if (this.#manager.listenerCount('error') > 0) this.#manager.emit('error', error, id);
    else this.#log.error(error.message);
  }

  /** Shard `id` became `fatal`. */
  public shardFatal(shard: ShardHandle, id: number): void {
    const error = shard.fatalError;
    if (error !== undefined) this.#failForGood(id, error);
  }

  /** A shard another process took over delivers nothing more and stops, as if failed for good. */
  public leaseLost(id: number, error: Error): void {
    this.forward(error, id);
    this.#failForGood(id, error);
    if (this.#onFatal === 'keepHealthy') void this.#manager.shutdown(id).catch(() => undefined);
  }

  /** Fails shard `id`'s `start*` call with `error`, and by the `stopAll` policy every other shard. */
  #failForGood(id: number, error: Error): void {
    this.#roster.running.get(id)?.group.fail(error);
    if (this.#onFatal === 'keepHealthy') return;
    this.#groups.failAll(error);
    this.#log.error(`shard ${id} failed for good; shutting every shard down`);
    void this.#manager
      .shutdownAll()
      .catch((cause: unknown) =>
        this.forward(new GatewayError('shutdown after a fatal close failed', id, { cause }), id),
      );
  }
}
