import { ValidationError } from '@bot/core';
import type { ShardHandle } from './ShardHandle.js';
import type { ShardGroup } from './ShardGroup.js';
import type { ShardLease } from './ShardLeases.js';

/** A running shard and the group of the `start*` call that launched it. */
export interface ManagedShard {
  shard: ShardHandle;
  group: ShardGroup;
  /** Its lease, given back once it is shut down (with `shardLeases`). */
  lease?: ShardLease | undefined;
}

/**
 * The shard ids of a manager, running or claimed by a `start*` call still checking, and the one
 * shard count they share: set by a claim, forgotten once nothing runs or is claimed.
 */
export class ShardRoster {
  readonly #running = new Map<number, ManagedShard>();
  readonly #claimed = new Set<number>();
  #total: number | undefined;

  /** The shard count of the shards running or claimed here, `undefined` when there are none. */
  public get total(): number | undefined {
    return this.#total;
  }

  /** The running shards by id. */
  public get running(): ReadonlyMap<number, ManagedShard> {
    return this.#running;
  }

  /** Whether shard `id` runs or is claimed here. */
  public taken(id: number): boolean {
    return this.#running.has(id) || this.#claimed.has(id);
  }

  /**
   * The running shard `id`.
   *
   * @throws {@link ValidationError} when no such shard runs here
   */
  public get(id: number): ManagedShard {
    const managed = this.#running.get(id);
    if (managed === undefined) throw new ValidationError('id', `names no running shard (got ${id})`);
    return managed;
  }

  /** Claims `ids` with their shard count for a `start*` call, so a concurrent call sees them. */
  public claim(ids: readonly number[], total: number): void {
    for (const id of ids) this.#claimed.add(id);
    this.#total = total;
  }

  /** Drops the claims on `ids`: their shards run now, or their call failed. */
  public unclaim(ids: readonly number[]): void {
    for (const id of ids) this.#claimed.delete(id);
    this.#forgetTotalWhenIdle();
  }

  /** Shard `id` runs now. */
  public add(id: number, managed: ManagedShard): void {
    this.#running.set(id, managed);
  }

  /** Shard `id` was shut down; kept if its id already belongs to another shard. */
  public remove(id: number, shard: ShardHandle): void {
    if (this.#running.get(id)?.shard === shard) this.#running.delete(id);
    this.#forgetTotalWhenIdle();
  }

  #forgetTotalWhenIdle(): void {
    if (this.#running.size === 0 && this.#claimed.size === 0) this.#total = undefined;
  }
}
