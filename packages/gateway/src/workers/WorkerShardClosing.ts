import { Deferred } from '@bot/core';
import type { SessionInfo } from '../session/SessionStore.js';
import type { ShardCloseOptions } from '../shard/ShardEvents.js';
import { CloseAnswerWatchdog, requestClose } from './WorkerShardCloseRequest.js';
import type { WorkerLink } from './WorkerLink.js';

/**
 * The close of a `WorkerShard` under way, if one is: whether it invalidates the session, and the
 * promise its `close()` returned, resolved with the session left behind once the shard is closed.
 */
export class WorkerShardClosing {
  readonly #id: number;
  readonly #link: WorkerLink;
  readonly #defaultGraceMs: number;
  #closing: Deferred<SessionInfo | undefined> | undefined;
  #invalidating = false;
  /** Whether the thread was asked for the close under way. */
  #asked = false;
  /** The grace of an invalidating close that upgraded the one under way, if one did. */
  #upgradeGraceMs: number | undefined;
  /** The wait for the thread's report of the close under way, which an upgrade extends. */
  #watchdog: CloseAnswerWatchdog | undefined;

  /**
   * @param id - the shard's id
   * @param link - the thread that runs it
   * @param defaultGraceMs - the shard's closing grace when a close gives none
   */
  public constructor(id: number, link: WorkerLink, defaultGraceMs: number) {
    this.#id = id;
    this.#link = link;
    this.#defaultGraceMs = defaultGraceMs;
  }

  /** Whether a close is under way. */
  public get underway(): boolean {
    return this.#closing !== undefined;
  }

  /** The promise of the close under way, if any. */
  public get promise(): Promise<SessionInfo | undefined> | undefined {
    return this.#closing?.promise;
  }

  /** Whether a close under way invalidates the session. */
  public get invalidating(): boolean {
    return this.#closing !== undefined && this.#invalidating;
  }

  /**
   * Starts a close: asks the thread to close the shard.
   *
   * @param options - the close's options
   * @param ask - `false` when the thread does not run the shard (its start waits): it is not asked
   * @returns the close's promise, and whether there was a thread to ask
   */
  public begin(
    options: ShardCloseOptions,
    ask = true,
  ): { promise: Promise<SessionInfo | undefined>; asked: boolean } {
    const closing = (this.#closing = new Deferred<SessionInfo | undefined>());
    this.#invalidating = options.invalidateSession ?? false;
    this.#upgradeGraceMs = undefined;
    const watchdog = (this.#watchdog = new CloseAnswerWatchdog(this.#link, this.#id, closing.promise));
    const asked = (this.#asked =
      ask &&
      requestClose(
        this.#link,
        {
          id: this.#id,
          invalidateSession: this.#invalidating,
          graceMs: options.graceMs,
          defaultGraceMs: this.#defaultGraceMs,
          answered: closing.promise,
        },
        watchdog,
      ));
    return { promise: closing.promise, asked };
  }

  /**
   * A close that invalidates the session came while the one under way does not: it invalidates
   * from now on, and the thread asked for it is asked to upgrade it (see `Shard.close`), which it
   * may take until the later of the two closes' deadlines to report. Nothing when no close is
   * under way or it invalidates already.
   *
   * @param graceMs - the invalidating close's own grace, if it gave one
   */
  public upgrade(graceMs: number | undefined): void {
    if (this.#closing === undefined || this.#invalidating) return;
    this.#invalidating = true;
    const upgradeGraceMs = (this.#upgradeGraceMs = graceMs ?? this.#defaultGraceMs);
    if (this.#asked && this.#link.post({ type: 'invalidate', id: this.#id, graceMs })) {
      this.#watchdog?.extend(upgradeGraceMs);
    }
  }

  /**
   * The grace of the invalidating close that upgraded the one under way, or `undefined` when none
   * did: the session the close left behind must then be forgotten in the store, within it.
   */
  public get upgradeGraceMs(): number | undefined {
    return this.#closing === undefined ? undefined : this.#upgradeGraceMs;
  }

  /** The session the close under way leaves behind: `session`, or none when it invalidates. */
  public leaves(session: SessionInfo | undefined): SessionInfo | undefined {
    return this.#invalidating ? undefined : session;
  }

  /** The shard is closed: the close under way, if any, resolves with `session`. */
  public settle(session: SessionInfo | undefined): void {
    this.#closing?.resolve(session);
    this.#closing = undefined;
  }
}
