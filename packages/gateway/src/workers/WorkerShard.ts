import {
  childLogger,
  createLogger,
  Deferred,
  MAX_TIMER_DELAY,
  messageOf,
  typedEventEmitter,
  type BotLogger,
} from '@bot/core';
import type { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { ShardFatalError, ShardHandle } from '../manager/ShardHandle.js';
import { qqProtocol } from '../protocol/qq.js';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import { DEFAULT_PAUSE_HOLDER, type PauseHolder, PauseHolders } from '../shard/PauseHolders.js';
import type { ShardCloseOptions, ShardEvents } from '../shard/ShardEvents.js';
import { DEFAULT_CLOSE_GRACE_MS } from '../shard/ShardOptions.js';
import { ShardNotifier } from '../shard/ShardNotifier.js';
import { onListenerRejection } from '../shard/listenerRejections.js';
import type { ShardState, ShardStatus } from '../shard/ShardState.js';
import { STORE_CALLS, StoreDeadline } from '../shard/StoreDeadline.js';
import { IdentifyPauseHold } from './IdentifyPauseHold.js';
import { StatusMirror } from './StatusMirror.js';
import type { ShardItem } from './messages.js';
import type { WorkerLink } from './WorkerLink.js';
import { WorkerShardClosing } from './WorkerShardClosing.js';
import { WorkerShardFatal } from './WorkerShardFatal.js';
import { WorkerShardReports } from './WorkerShardReports.js';
import { WorkerShardSends } from './WorkerShardSends.js';

/**
 * The main thread's stand-in for a shard a worker thread runs: the same events and methods as a
 * `Shard` (see {@link ShardHandle}). Its status mirrors what the thread reports, and its session
 * (id and last sequence number seen here) is what the shard resumes if the thread has to be
 * restarted. A listener that throws, or whose promise rejects, is reported on `error`, as a
 * `Shard`'s is.
 */
export class WorkerShard extends typedEventEmitter<ShardEvents>() implements ShardHandle {
  /** Shard id. */
  public readonly id: number;
  /** Shard count. */
  public readonly total: number;
  readonly #gatewayUrl: string;
  readonly #sessionStartTotal: number | undefined;
  readonly #sessionStore: SessionStore | undefined;
  readonly #closeGraceMs: number;
  readonly #link: WorkerLink;
  readonly #sends: WorkerShardSends;
  readonly #mirror: StatusMirror;
  readonly #pauses = new PauseHolders();
  readonly #fatal: WorkerShardFatal;
  readonly #reports: WorkerShardReports;
  /** Emits its events, reporting a listener that throws. */
  readonly #notify: ShardNotifier;
  #running = false;
  /** Whether a close detached the shard from its thread, which must be given it again to start. */
  #detached = false;
  #firstReady = new Deferred<void>();
  readonly #closing: WorkerShardClosing;
  /** The op 9 pause the shard waited out when its thread was lost, which the next thread's start waits for. */
  readonly #identifyPause = new IdentifyPauseHold();
  /**
   * Sessions in a row op 9 ended soon after they started, as the thread last counted them: the
   * next thread's shard counts on from here, as one shard in one process would.
   */
  #invalidatedSessions = 0;
  /**
   * An invalidating close forgot the session the status still shows (the thread's last report
   * names it): none is shown, nor saved for a next thread, until the thread reports again.
   */
  #sessionForgotten = false;

  /**
   * @param id - shard id
   * @param total - shard count
   * @param gatewayUrl - where the shard connects
   * @param link - the thread that runs it
   * @param closeGraceMs - the shard's closing grace when a close gives none (`timeouts.closeGraceMs`,
   *   whose default it defaults to)
   * @param maxQueuedSends - most sends waiting for the thread at once (`sendLimit.maxQueued`, whose
   *   default it defaults to)
   * @param logger - the manager's logger, for what cannot be reported on `error` (as a `Shard`'s)
   * @param sessionStartTotal - the bot's daily session start budget, the shard's `sessionStartTotal`
   *   option on its thread (the shard's default when not given)
   * @param sessionStore - the manager's session store, where a close that invalidates the session
   *   while no thread runs the shard forgets it (the thread's shard forgets it otherwise)
   */
  public constructor(
    id: number,
    total: number,
    gatewayUrl: string,
    link: WorkerLink,
    closeGraceMs: number = DEFAULT_CLOSE_GRACE_MS,
    maxQueuedSends?: number,
    logger?: BotLogger,
    sessionStartTotal?: number,
    sessionStore?: SessionStore,
  ) {
    // An async listener's rejection is reported on `error` like a throw, not left unhandled.
    super({ captureRejections: true });
    this.id = id;
    this.total = total;
    this.#gatewayUrl = gatewayUrl;
    this.#sessionStartTotal = sessionStartTotal;
    this.#sessionStore = sessionStore;
    this.#closeGraceMs = closeGraceMs;
    this.#link = link;
    this.#closing = new WorkerShardClosing(id, link, closeGraceMs);
    this.#mirror = new StatusMirror(id, total);
    this.#sends = new WorkerShardSends(id, link, maxQueuedSends);
    this.#fatal = new WorkerShardFatal(id);
    const notify = new ShardNotifier(this, id, childLogger(logger ?? createLogger('gateway'), `shard:${id}`));
    this.#notify = notify;
    this.#reports = new WorkerShardReports(id, notify, this.#mirror, this.#fatal, (state, previous) =>
      this.#changed(state, previous),
    );
    onListenerRejection(this, (cause, event) => notify.listenerRejected(event, cause));
  }

  /** Current state. */
  public get state(): ShardState {
    return this.#mirror.state;
  }

  /** Why the shard stopped, once it is `fatal`. */
  public get fatalError(): ShardFatalError | undefined {
    return this.#fatal.error;
  }

  /** Whether its protocol sends a presence: worker shards speak the QQ protocol. */
  public get supportsPresence(): boolean {
    return qqProtocol.supportsPresence;
  }

  /** Whether reading is paused: at least one holder holds it (see {@link WorkerShard.pause}). */
  public get paused(): boolean {
    return this.#mirror.paused;
  }

  /** The holders keeping reading paused, in the order they paused. */
  public get pausedBy(): readonly PauseHolder[] {
    return this.#pauses.holders;
  }

  /** Whether the shard should be running (started and not closed nor failed). */
  public get running(): boolean {
    return this.#running;
  }

  /** The session known here: the thread's last report, with the last sequence number seen here. */
  public get session(): SessionInfo | undefined {
    return this.#sessionForgotten ? undefined : this.#mirror.session;
  }

  /**
   * The ended thread's handler module handled session `sessionId` up to `seq`: the session known
   * here moves there if it is that session and behind (the reports of it were not all taken).
   *
   * @param sessionId - the session the thread handled
   * @param seq - the last seq it handled
   */
  public handledOnThread(sessionId: string, seq: number): void {
    if (this.#mirror.status.sessionId === sessionId) this.#mirror.sawSeq(seq);
  }

  /** Whether the shard is closing with its session invalidated. */
  public get invalidating(): boolean {
    return this.#closing.invalidating;
  }

  /**
   * A snapshot of state, latency, sequence, session and counters, as last reported; with the op 9
   * pause a lost thread's shard was waiting out, while the next thread's start waits for it.
   */
  public status(): ShardStatus {
    const identifyPause = this.#identifyPause.pause;
    const mirrored = this.#mirror.status;
    const status = this.#sessionForgotten ? { ...mirrored, sessionId: undefined, seq: null } : mirrored;
    return identifyPause === undefined ? status : { ...status, identifyPause };
  }

  /**
   * Starts the shard on its thread; resolves at the first READY or RESUMED. Refused while a close
   * is under way, and possible again once it has resolved (see `Shard.start`).
   */
  public start(): Promise<void> {
    if (this.#closing.underway)
      return Promise.reject(
        new GatewayError('is closing: start it again once close() has resolved', this.id),
      );
    if (this.#running) return this.#firstReady.promise;
    this.#running = true;
    this.#fatal.reset();
    // A start counts afresh, as a shard's start does; a thread restart goes on (see relaunch).
    this.#invalidatedSessions = 0;
    this.#firstReady = new Deferred<void>();
    try {
      if (this.#detached) {
        this.#detached = false;
        this.#link.attach(this);
      }
      this.relaunch();
    } catch (error) {
      // No thread could be started for it (Node.js throws ERR_WORKER_INIT_FAILED when the system
      // has no thread or memory left): the start fails, and a later one may try again.
      this.#running = false;
      this.#firstReady.reject(
        new GatewayError('could not start a worker thread for it; try again later', this.id, {
          cause: error,
        }),
      );
    }
    return this.#firstReady.promise;
  }

  /**
   * Asks the (new) thread to run the shard, resuming the session the store holds: once the op 9
   * pause the lost thread's shard was waiting out has ended, as that shard would have, and with
   * the count of sessions op 9 ended in a row it had reached, which the new shard goes on from.
   */
  public relaunch(): void {
    // A close that asked no thread may still be forgetting the session: the shard is not started.
    if (!this.#running || this.#closing.underway) return;
    this.#identifyPause.startAfter(() => {
      const { id, total } = this;
      const sessionStartTotal = this.#sessionStartTotal;
      const invalidatedSessions = this.#invalidatedSessions;
      this.#link.post({
        type: 'start',
        id,
        total,
        gatewayUrl: this.#gatewayUrl,
        paused: this.paused,
        ...(sessionStartTotal === undefined ? {} : { sessionStartTotal }),
        ...(invalidatedSessions === 0 ? {} : { invalidatedSessions }),
      });
    });
  }

  /**
   * Reconnects at once, resuming (see `Shard.restart`); starts the shard if it is not running.
   * A start waiting for an op 9 pause is sent now, as a shard's restart cuts its pause short.
   */
  public restart(): void {
    if (!this.#running) void this.start().catch(() => undefined);
    else if (!this.#identifyPause.hurry()) {
      // The thread's shard ends its pause now; its report of that may be a while coming, and a
      // report of the pause may still be on its way.
      this.#mirror.restarted();
      this.#link.post({ type: 'restart', id: this.id });
    }
  }

  /**
   * Stops reading events on the thread under `holder`, for back-pressure (see `Shard.pause`).
   * The holders are kept here: only the first pause crosses to the thread.
   */
  public pause(holder: PauseHolder = DEFAULT_PAUSE_HOLDER): void {
    if (!this.#pauses.add(holder)) return;
    this.#mirror.paused = true;
    this.#link.post({ type: 'pause', id: this.id });
  }

  /** Releases `holder`'s pause; once none is left, the thread reads again (see `Shard.resume`). */
  public resume(holder: PauseHolder = DEFAULT_PAUSE_HOLDER): void {
    if (!this.#pauses.delete(holder)) return;
    this.#mirror.paused = false;
    this.#link.post({ type: 'resume', id: this.id });
  }

  /**
   * Closes the shard on its thread, after every event it read has reached this thread.
   *
   * As on a `Shard`, a close that invalidates the session while one without it is under way
   * upgrades that close: the thread is asked to end the session through it, and the session that
   * close reports left behind anyway (it came too late there) is forgotten in the store here, with
   * the invalidating close's grace; both resolve to `undefined`. One that comes once the shard is
   * closed (or failed for good) forgets the session it left behind in the store; the platform
   * keeps that session until it expires there.
   *
   * @returns the session left behind (resumable), or `undefined` once invalidated
   */
  public close(options: ShardCloseOptions = {}): Promise<SessionInfo | undefined> {
    const underway = this.#closing.promise;
    if (underway !== undefined) {
      if (options.invalidateSession === true) this.#closing.upgrade(options.graceMs);
      return underway;
    }
    if (!this.#running) {
      // Failed for good (or never started): nothing runs on the thread, which may stop now.
      this.#link.detach(this.id);
      this.#detached = true;
      const left = this.session;
      const store = this.#sessionStore;
      if (options.invalidateSession !== true || left === undefined) return Promise.resolve(left);
      // Under way as a close, so that a start waits for it: one now would resume the session.
      const { promise } = this.#closing.begin(options, false);
      void (
        store === undefined ? Promise.resolve() : this.#forget(store, options.graceMs ?? this.#closeGraceMs)
      ).then(() => {
        this.#sessionForgotten = true;
        this.#closing.settle(undefined);
      });
      return promise;
    }
    // A start still waiting for an op 9 pause: the thread does not run the shard, nothing to ask.
    const held = this.#identifyPause.cancel();
    const { promise, asked } = this.#closing.begin(options, !held);
    // No thread to ask (one is being restarted): nothing runs the shard, so it is closed here.
    if (asked) return promise;
    const store = this.#sessionStore;
    if (!this.#closing.invalidating || store === undefined) {
      this.receive([this.id, 'closed', this.#closing.leaves(this.session)]);
      return promise;
    }
    void this.#forget(store, options.graceMs ?? this.#closeGraceMs).then(() => {
      // Unless the close ended meanwhile (a thread lost ends it).
      if (this.#closing.promise === promise) this.receive([this.id, 'closed', undefined]);
    });
    return promise;
  }

  /**
   * Sends a frame through the shard's outbound limiter on its thread.
   *
   * @throws {@link GatewayError} (as a rejection) when the shard is not ready or the frame was not sent
   */
  public send(payload: GatewayPayload): Promise<void> {
    if (this.state !== 'ready')
      return Promise.reject(new GatewayError(`cannot send while ${this.state}`, this.id));
    return this.#sends.send(payload);
  }

  /** One thing the thread reports, in order. */
  public receive(item: ShardItem): void {
    // The thread's report names the session it runs (or none) again.
    if (item[1] === 'state') this.#sessionForgotten = false;
    if (item[1] === 'closed') this.#closedOnThread(item[2]);
    else if (item[1] === 'sent') this.#sends.settled(item[2], item[3]);
    else if (item[1] === 'invalidated') this.#invalidatedSessions = item[2];
    else this.#reports.take(item);
  }

  /**
   * The thread exited unasked. A closing shard is closed with the session known here; any other
   * reports the lost connection and waits in `reconnecting` for the next thread.
   *
   * @param reason - what happened, for the `close` event
   * @param delayMs - when the next thread starts
   */
  public lost(reason: string, delayMs: number): void {
    this.#sends.threadLost();
    if (this.#closing.underway) {
      this.#closedOnThread(this.session);
      return;
    }
    if (!this.#running) return;
    // The pause the thread reported; none once a start waited for one (the hold keeps it).
    this.#identifyPause.keep(this.#mirror.status.identifyPause);
    this.#mirror.lostThread();
    // The next thread starts it once the pause ends, if that is later than the thread's restart.
    const waitMs = Math.max(delayMs, this.#identifyPause.leftMs);
    this.#notify.emit('close', { code: undefined, reason, next: 'resume', delayMs: waitMs });
    this.#setState('reconnecting');
  }

  /**
   * The thread cannot be restarted (or cannot set up its handler): the shard stops for good with
   * `error`, and no send still waiting will be told about.
   *
   * @returns whether the shard emitted `error`: `false` for one closing (it is closed instead) or
   * not running, whose caller must make the error known otherwise
   */
  public failForGood(error: Exclude<ShardFatalError, FatalGatewayError>): boolean {
    this.#sends.threadLost();
    this.#identifyPause.cancel();
    if (this.#closing.underway) {
      this.#closedOnThread(this.session);
      return false;
    }
    if (!this.#running) return false;
    this.#running = false;
    this.#fatal.forGood(error);
    this.#notify.report(error);
    this.#setState('fatal');
    this.#firstReady.reject(error);
    return true;
  }

  /**
   * Forgets the session in `store` for a close that invalidates it while no thread runs the shard:
   * the store still holds what was written when the thread was lost, which the next start, or the
   * next process, would resume. Waited for no longer than the close's grace, as a shard waits on
   * close; a store that fails or does not answer in time is reported, and the close goes on.
   */
  async #forget(store: SessionStore, graceMs: number): Promise<void> {
    const deadline = new StoreDeadline(Math.min(graceMs, MAX_TIMER_DELAY), this.id, (error) =>
      this.#notify.report(error),
    );
    try {
      await deadline.wait(STORE_CALLS.forgetOnClose, () => store.delete(this.id));
    } catch (error) {
      this.#notify.report(
        new GatewayError(
          `the session store could not delete the invalidated session on close (${messageOf(error)}); delete it there before the shard starts again, or that start resumes it`,
          this.id,
          { cause: error },
        ),
      );
    }
  }

  #changed(state: ShardState, previous: ShardState): void {
    // As on a `Shard`: the error is there before listeners hear of the state.
    const fatal = state === 'fatal' ? this.#fatal.stopped(this.#mirror.status.lastCloseCode) : undefined;
    if (fatal !== undefined) this.#running = false;
    this.#notify.emit('state', state, previous);
    if (state === 'ready') this.#firstReady.resolve();
    if (fatal !== undefined) this.#firstReady.reject(fatal);
  }

  #setState(next: ShardState): void {
    const previous = this.#mirror.moveTo(next);
    if (previous !== next) this.#changed(next, previous);
  }

  /**
   * The close under way ended on the thread (or the thread is gone), leaving `session` behind. A
   * close an invalidating one upgraded forgets that session in the store first: the thread's
   * shard had left it resumable (the upgrade came too late there, or found no shard), or never
   * said it forgot it.
   */
  #closedOnThread(session: SessionInfo | undefined): void {
    const graceMs = this.#closing.upgradeGraceMs;
    const store = this.#sessionStore;
    if (graceMs === undefined || session === undefined || store === undefined) {
      this.#closed(this.#closing.leaves(session));
      return;
    }
    const promise = this.#closing.promise;
    void this.#forget(store, graceMs).then(() => {
      // Unless the close ended meanwhile (a thread lost ends it).
      if (this.#closing.promise === promise) this.#closed(undefined);
    });
  }

  #closed(session: SessionInfo | undefined): void {
    if (session === undefined && this.#closing.invalidating) this.#sessionForgotten = true;
    this.#identifyPause.cancel();
    const wasRunning = this.#running;
    this.#running = false;
    if (wasRunning) this.#setState('closed');
    this.#firstReady.reject(new GatewayError('closed before it became ready', this.id));
    this.#link.detach(this.id);
    this.#detached = true;
    this.#closing.settle(session);
  }
}
