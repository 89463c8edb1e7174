import type { DispatchPayload, ShardManager } from '@bot/gateway';
import type { Dispatcher } from '../dispatch/Dispatcher.js';

/**
 * Whether `name` opens a session (`READY`, `RESUMED`): the client tells the {@link ReadyAnnouncer}
 * of both. Two comparisons, not a `Set`: every event of a shard is asked, and a `t` fresh from
 * `JSON.parse` is no interned string, so a set would hash it first.
 *
 * @param name - the `t` of a dispatch
 */
export function isSessionEvent(name: string | undefined): boolean {
  return name === 'READY' || name === 'RESUMED';
}

/**
 * The `shardsReady` hook: called once per `start*` call, when every shard of the process is ready
 * and the handlers of every READY it received have finished. A RESUMED is not waited for: the
 * platform replays the events a resumed session missed ahead of it, so its handlers run only after
 * that backlog, and the shard is live long before (a probe that waited would call a resumed
 * process not ready for as long as the backlog takes). It keeps its place in the lane all the same.
 */
export class ReadyAnnouncer {
  readonly #manager: ShardManager;
  readonly #dispatcher: Dispatcher;
  #announced = false;
  /** Shards counted towards `shardsReady` since they last became ready. */
  readonly #sessionsHandled = new Set<number>();
  /** Per shard, the READYs whose handlers have not finished: the shard counts only once none is left. */
  readonly #readiesRunning = new Map<number, number>();

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
   * READY or RESUMED of a shard: handled like any event, in its place in the lane. The shard counts
   * towards `shardsReady` once it is ready and the handlers of every READY it received have
   * finished: after this READY's handlers, or at once for a RESUMED (the shard's `ready` state came
   * with it) unless a READY of the shard is still being handled.
   *
   * @param shardId - the shard whose session opened
   * @param payload - the READY or RESUMED payload
   */
  public sessionOpened(shardId: number, payload: DispatchPayload): void {
    if (payload.t !== 'READY') {
      this.#dispatcher.deliver(shardId, payload);
      this.#countIfReady(shardId);
      return;
    }
    this.#readiesRunning.set(shardId, (this.#readiesRunning.get(shardId) ?? 0) + 1);
    void this.#dispatcher.dispatch(shardId, payload).then(
      () => {
        this.#readyFinished(shardId);
        this.#countIfReady(shardId);
      },
      // A shutdown gave up on it: the shutdown reports every abandoned event to `error()`, and a
      // shard shutting down has nothing left to announce.
      () => this.#readyFinished(shardId),
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

  #readyFinished(shardId: number): void {
    const running = (this.#readiesRunning.get(shardId) ?? 1) - 1;
    if (running > 0) this.#readiesRunning.set(shardId, running);
    else this.#readiesRunning.delete(shardId);
  }

  /** The shard counts once it is ready with no READY of it still being handled. */
  #countIfReady(shardId: number): void {
    if (this.#readiesRunning.has(shardId)) return;
    if (this.#manager.shards.get(shardId)?.state !== 'ready') return;
    this.#sessionsHandled.add(shardId);
    this.#announceOnce();
  }

  /** `shardsReady`, once every shard of the process is ready and counted. */
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
