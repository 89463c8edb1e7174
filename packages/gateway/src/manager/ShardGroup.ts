import { Deferred } from '@bot/core';

/**
 * The shards one `start*` call launched, and the promise that call returned: fulfilled once the
 * user has shut every one of them down, rejected by the first fatal error among them.
 */
export class ShardGroup {
  /** How many shards the group launched. */
  public readonly size: number;
  readonly #running: Set<number>;
  readonly #ready = new Set<number>();
  readonly #outcome = new Deferred<void>();

  /** @param ids - shard ids of the group */
  public constructor(ids: readonly number[]) {
    this.size = ids.length;
    this.#running = new Set(ids);
  }

  /**
   * A shard of the group became ready for the first time.
   *
   * @returns how many of the group have been ready so far
   */
  public ready(id: number): number {
    this.#ready.add(id);
    return this.#ready.size;
  }

  /** How many of the group have been ready so far. */
  public get readyCount(): number {
    return this.#ready.size;
  }

  /** Settles as described on the class. */
  public get done(): Promise<void> {
    return this.#outcome.promise;
  }

  /** Whether the group's promise has settled. */
  public get settled(): boolean {
    return this.#outcome.settled;
  }

  /** A shard of the group was shut down by the user. */
  public stopped(id: number): void {
    this.#running.delete(id);
    if (this.#running.size === 0) this.#outcome.resolve();
  }

  /** A shard of the group (or, by policy, of the manager) failed for good. */
  public fail(error: Error): void {
    this.#outcome.reject(error);
  }
}

/**
 * The groups of a manager whose promise has not settled yet, so that a fatal error can fail every
 * one of them (the `stopAll` policy).
 */
export class RunningGroups {
  readonly #groups = new Set<ShardGroup>();

  /**
   * A new group, kept here until its promise settles.
   *
   * @param ids - shard ids of the group
   */
  public start(ids: readonly number[]): ShardGroup {
    const group = new ShardGroup(ids);
    this.#groups.add(group);
    const forget = (): void => {
      this.#groups.delete(group);
    };
    void group.done.then(forget, forget);
    return group;
  }

  /** Fails every group still running with `error`. */
  public failAll(error: Error): void {
    for (const group of this.#groups) group.fail(error);
  }
}
