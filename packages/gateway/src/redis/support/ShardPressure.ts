import type { ShardManager } from '../../manager/ShardManager.js';
import type { ShardState } from '../../shard/ShardState.js';

/** Why the publisher holds shards back. */
export type PressureReason = 'lag' | 'backlog';

/**
 * Back-pressure from the publisher onto the shards that feed it: while any reason holds, every
 * shard of every attached manager stops reading its socket (`Shard.pause`; heartbeats go on, and
 * the platform keeps the unread events), and reads again once none does. Pausing loses nothing,
 * where dropping an event would. docs/redis-deployment.md, "Stream trimming and consumer lag".
 *
 * The pause is held under a holder of this instance's own, so other pause authorities (a
 * client's dispatch back-pressure, its shutdown, another publisher) neither lift it nor are
 * lifted by it; and it is applied again to every shard that starts connecting (a shard started
 * or replaced while a reason holds), so no shard escapes it.
 */
export class ShardPressure {
  /** The holder this publisher's pauses are held under (see `Shard.pausedBy`). */
  public readonly holder: symbol = Symbol('redis publisher back-pressure');
  readonly #managers = new Map<ShardManager, (state: ShardState, previous: ShardState, id: number) => void>();
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
   * Applies the pressure to a manager's shards from now on, including shards it starts later.
   *
   * @returns removes the manager again, releasing this pressure's pause on its shards
   */
  public add(manager: ShardManager): () => void {
    if (!this.#managers.has(manager)) {
      const onState = (state: ShardState, _previous: ShardState, id: number): void => {
        if (state === 'connecting' && this.#reasons.size > 0) manager.shards.get(id)?.pause(this.holder);
      };
      this.#managers.set(manager, onState);
      manager.on('state', onState);
    }
    if (this.#reasons.size > 0) this.#apply(manager);
    return () => {
      const onState = this.#managers.get(manager);
      if (onState === undefined) return;
      this.#managers.delete(manager);
      manager.off('state', onState);
      for (const shard of manager.shards.values()) shard.resume(this.holder);
    };
  }

  /**
   * Sets or clears one reason.
   *
   * @returns whether the shards were paused or released by it
   */
  public set(reason: PressureReason, holds: boolean): boolean {
    const before = this.#reasons.size > 0;
    if (holds) this.#reasons.add(reason);
    else this.#reasons.delete(reason);
    const after = this.#reasons.size > 0;
    if (before === after) return false;
    if (after) this.#pauses++;
    for (const manager of this.#managers.keys()) this.#apply(manager);
    return true;
  }

  /**
   * Pauses or releases every shard of a manager as the reasons stand, looked at again before each
   * shard: a resumed shard replays the frames it held at once, which may set a reason again.
   */
  #apply(manager: ShardManager): void {
    for (const shard of manager.shards.values()) {
      if (this.#reasons.size > 0) shard.pause(this.holder);
      else shard.resume(this.holder);
    }
  }
}
