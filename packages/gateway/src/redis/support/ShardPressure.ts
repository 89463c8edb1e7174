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
    if (this.#reasons.size > 0) setReading(manager, false);
    return () => {
      if (this.#managers.delete(manager) && this.#reasons.size > 0) setReading(manager, true);
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
    for (const manager of this.#managers) setReading(manager, !after);
    return true;
  }
}

function setReading(manager: ShardManager, reading: boolean): void {
  for (const id of manager.shards.keys()) {
    if (reading) manager.resume(id);
    else manager.pause(id);
  }
}
