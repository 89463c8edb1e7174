import { messageOf, type BotLogger } from '@bot/core';
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

  /**
   * Passes on an error shard `id` reported. Never throws: an `error` listener that throws is only
   * logged, as this runs from shards' callbacks and Node's rejection hook, where a throw would be
   * uncaught.
   */
  public forward(error: Error, id: number): void {
    if (!this.#threadErrors.passes(error)) return;
    if (this.#manager.listenerCount('error') === 0) {
      this.#log.error(error.message);
      return;
    }
    try {
      this.#manager.emit('error', error, id);
    } catch (thrown) {
      this.#log.error(`an 'error' listener of the manager threw: ${messageOf(thrown)}`);
    }
  }

  /**
   * A promise a listener of the manager's `event` returned rejected: reported as a listener that
   * threw would be, with the shard's id (the first of a `ready` call's); an `error` listener's
   * only to the log, as reporting it would go back to that listener.
   *
   * @param cause - the rejection
   * @param event - the event the listener was called for
   * @param args - its arguments: the shard id last, or a `ready` event's ids first
   */
  public listenerRejected(cause: unknown, event: string, args: readonly unknown[]): void {
    if (event === 'error') {
      this.#log.error(`an 'error' listener of the manager rejected: ${messageOf(cause)}`);
      return;
    }
    const last = args.at(-1);
    const first = args[0];
    // 0 for an event of the user's own, emitted without a shard id (or with an array not led by one).
    const lead: unknown = Array.isArray(first) ? first[0] : undefined;
    const id =
      typeof last === 'number' ? last : typeof lead === 'number' && Number.isInteger(lead) ? lead : 0;
    this.forward(new GatewayError(`a '${event}' listener of the manager rejected`, id, { cause }), id);
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
