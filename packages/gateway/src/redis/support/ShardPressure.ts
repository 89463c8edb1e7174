import type { ShardManager } from '../../manager/ShardManager.js';

/** Why the publisher holds shards back. */
export type PressureReason = 'lag' | 'backlog';

/**
 * Back-pressure from the publisher onto the shards that feed it: while any reason holds, every
 * shard of every attached manager stops reading its socket (`Shard.pause`; heartbeats go on, and
 * the platform keeps the unread events), and reads again once none does. Pausing loses nothing,
 * where dropping an event would. docs/redis-deployment.md, "Stream trimming and consumer lag".
 */
export class ShardPressure {
  readonly #managers = new Set<ShardManager>();
  readonly #reasons = new Set<PressureReason>();
  #pauses = 0;

  /** The reasons holding shards back now. */
  public get reasons(): readonly PressureReason[] {
    return [...this.#reasons];
  }

  /** How many times shards were paused. */
  public get pauses(): number {
    return this.#pauses;
  }

  /**
   * Applies the pressure to a manager's shards from now on.
   *
   * @returns removes the manager again (resuming its shards if they are held back)
   */
  public add(manager: ShardManager): () => void {
    this.#managers.add(manager);
    if (this.#reasons.size > 0) this.#apply(manager);
    return () => {
      if (!this.#managers.delete(manager) || this.#reasons.size === 0) return;
      for (const id of manager.shards.keys()) manager.resume(id);
    };
  }

  /**
   * Sets or clears one reason.
   *
   * @returns whether the shards were paused or resumed by it
   */
  public set(reason: PressureReason, holds: boolean): boolean {
    const before = this.#reasons.size > 0;
    if (holds) this.#reasons.add(reason);
    else this.#reasons.delete(reason);
    const after = this.#reasons.size > 0;
    if (before === after) return false;
    if (after) this.#pauses++;
    for (const manager of this.#managers) this.#apply(manager);
    return true;
  }

  /**
   * Pauses or resumes every shard of a manager as the reasons stand, looked at again before each
   * shard: a resumed shard replays the frames it held at once, which may set a reason again.
   */
  #apply(manager: ShardManager): void {
    for (const id of manager.shards.keys()) {
      if (this.#reasons.size > 0) manager.pause(id);
      else manager.resume(id);
    }
  }
}
