import type { ShardLease } from './ShardLeases.js';
import type { ShardRoster } from './ShardRoster.js';

/**
 * Watches the leases of a manager's shards (with `shardLeases`). Once another process takes one
 * over, that shard delivers no more dispatches, at once: the new owner receives and answers them,
 * and delivering them here too until the shard has closed would answer each twice. Then `onLost`
 * stops the shard.
 */
export class LeaseWatch {
  readonly #takenOver = new Set<number>();
  readonly #roster: ShardRoster;
  readonly #onLost: (id: number, error: Error) => void;

  /**
   * @param roster - the manager's running shards: a lease lost by a shard no longer running is ignored
   * @param onLost - stops shard `id`, failing its `start*` call with `error`
   */
  public constructor(roster: ShardRoster, onLost: (id: number, error: Error) => void) {
    this.#roster = roster;
    this.#onLost = onLost;
  }

  /** Whether shard `id` still delivers its dispatches: not once its lease was taken over. */
  public delivers(id: number): boolean {
    return !this.#takenOver.has(id);
  }

  /** Watches the lease of shard `id`, which runs now (nothing to watch without `shardLeases`). */
  public watch(id: number, lease: ShardLease | undefined): void {
    this.#takenOver.delete(id);
    void lease?.lost.then((error) => {
      if (this.#roster.running.get(id)?.lease !== lease) return;
      this.#takenOver.add(id);
      this.#onLost(id, error);
    });
  }
}
