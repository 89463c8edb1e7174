import { msUntil, steadyNow, ValidationError } from '@bot/core';
import type { SessionInfo } from '../session/SessionStore.js';
import type { Launcher } from './Launcher.js';
import type { ManagedShard, ShardRoster } from './ShardRoster.js';
import { releaseWithin } from './ShardLeases.js';
import { shutdownTogether, type ShutdownOptions } from './shutdown.js';

/**
 * The shutdowns of a manager's shards: at most one per shard at a time, shared by every call for
 * it, so a second `shutdown(id)` waits for the first instead of closing a closing shard again.
 */
export class ShardShutdowns {
  readonly #closing = new Map<number, Promise<SessionInfo | undefined>>();
  readonly #roster: ShardRoster;
  readonly #launcher: Launcher;
  readonly #graceMs: number;

  /**
   * @param roster - the manager's running shards
   * @param launcher - its `start*` calls still checking, cancelled by a shutdown of their ids
   * @param graceMs - how long a shutdown without `timeoutMs` waits for the shards to close
   */
  public constructor(roster: ShardRoster, launcher: Launcher, graceMs: number) {
    this.#roster = roster;
    this.#launcher = launcher;
    this.#graceMs = graceMs;
  }

  /** Whether shard `id` is being shut down (its shutdown has not resolved yet). */
  public isClosing(id: number): boolean {
    return this.#closing.has(id);
  }

  /**
   * Shuts shard `id` down, or joins its shutdown in progress; cancels the `start*` call still
   * checking that claims it.
   *
   * @returns the session left behind (resumable), or `undefined` when invalidated or never started
   * @throws {@link ValidationError} (as a rejection) when no such shard runs or starts here
   */
  public shutdown(id: number, options: ShutdownOptions): Promise<SessionInfo | undefined> {
    const pending = this.#closing.get(id);
    if (pending !== undefined) return pending;
    const managed = this.#roster.running.get(id);
    if (managed === undefined) {
      if (this.#launcher.cancel(id)) return Promise.resolve(undefined);
      return Promise.reject(new ValidationError('id', `names no running shard (got ${id})`));
    }
    const closing = this.#close(id, managed, options).finally(() => this.#closing.delete(id));
    this.#closing.set(id, closing);
    return closing;
  }

  /**
   * Cancels every pending `start*` call and shuts every shard down in parallel, the running ones
   * and those already closing, all against one deadline.
   *
   * @returns the sessions left behind (resumable) by shard id
   */
  public shutdownEach(options: ShutdownOptions): Promise<Map<number, SessionInfo>> {
    this.#launcher.cancelAll();
    const timeoutMs = options.timeoutMs ?? this.#graceMs;
    const ids = new Set([...this.#roster.running.keys(), ...this.#closing.keys()]);
    return shutdownTogether(ids, timeoutMs, options, (id, each) => this.shutdown(id, each));
  }

  async #close(
    id: number,
    { shard, group, lease }: ManagedShard,
    options: ShutdownOptions,
  ): Promise<SessionInfo | undefined> {
    let session: SessionInfo | undefined;
    const graceMs = options.timeoutMs ?? this.#graceMs;
    const deadline = steadyNow() + graceMs;
    try {
      session = await shard.close({ invalidateSession: options.invalidateSessions ?? false, graceMs });
    } finally {
      // After its last session write (the next owner starts from it), within the same deadline.
      if (lease !== undefined) await releaseWithin(lease, msUntil(deadline));
    }
    this.#roster.remove(id, shard);
    shard.removeAllListeners();
    group.stopped(id);
    return session;
  }
}
