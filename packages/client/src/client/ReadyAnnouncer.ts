import type { DispatchPayload, ShardManager } from '@bot/gateway';
import type { Dispatcher } from '../dispatch/Dispatcher.js';

/**
 * Whether `name` opens a session (`READY`, `RESUMED`): `shardsReady` waits until their handlers
 * have run on every shard. Two comparisons, not a `Set`: every event of a shard is asked, and a
 * `t` fresh from `JSON.parse` is no interned string, so a set would hash it first.
 *
 * @param name - the `t` of a dispatch
 */
export function isSessionEvent(name: string | undefined): boolean {
  return name === 'READY' || name === 'RESUMED';
}

/**
 * The `shardsReady` hook: called once per `start*` call, when every shard of the process is ready
 * and the handlers of its READY (or RESUMED) have finished.
 */
export class ReadyAnnouncer {
  readonly #manager: ShardManager;
  readonly #dispatcher: Dispatcher;
  #announced = false;
  /** Shards whose READY (or RESUMED) handlers have finished since they last became ready. */
  readonly #sessionsHandled = new Set<number>();

  /**
   * @param manager - the shards to watch
   * @param dispatcher - runs the session events and the hook
   */
  public constructor(manager: ShardManager, dispatcher: Dispatcher) {
    this.#manager = manager;
    this.#dispatcher = dispatcher;
  }

  /** A `start*` call begins: its shards are announced once they are all ready. */
  public rearm(): void {
    this.#announced = false;
  }

  /**
   * READY or RESUMED of a shard: handled like any event, and once its handlers have finished, the
   * shard counts towards `shardsReady`.
   *
   * @param shardId - the shard whose session opened
   * @param payload - the READY or RESUMED payload
   */
  public sessionOpened(shardId: number, payload: DispatchPayload): void {
    void this.#dispatcher.dispatch(shardId, payload).then(
      () => {
        if (this.#manager.shards.get(shardId)?.state !== 'ready') return;
        this.#sessionsHandled.add(shardId);
        this.#announceOnce();
      },
      // A shutdown gave up on it: the shutdown reports every abandoned event to `error()`, and a
      // shard shutting down has nothing left to announce.
      () => undefined,
    );
  }

  /**
   * A shard whose events are handled on a worker thread became ready: it counts towards
   * `shardsReady` at once, as its READY (or RESUMED) stays on the thread, whose client handles it.
   *
   * @param shardId - the shard
   */
  public readyOnThread(shardId: number): void {
    this.#sessionsHandled.add(shardId);
    this.#announceOnce();
  }

  /**
   * A shard left the `ready` state: it counts again once its next session's handlers have run.
   *
   * @param shardId - the shard
   */
  public shardLeftReady(shardId: number): void {
    this.#sessionsHandled.delete(shardId);
  }

  /** `shardsReady`, once every shard of the process is ready and its READY handlers have run. */
  #announceOnce(): void {
    if (this.#announced) return;
    const statuses = this.#manager.status();
    if (
      statuses.length === 0 ||
      statuses.some((status) => status.state !== 'ready' || !this.#sessionsHandled.has(status.id))
    )
      return;
    this.#announced = true;
    void this.#dispatcher.hook('shardsReady', {
      shardIds: statuses.map((status) => status.id),
      total: statuses[0]?.total ?? 0,
    });
  }
}
