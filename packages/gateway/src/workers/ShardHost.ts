import { type BotLogger, childLogger, Intents, isSequence, steadyNow, waitAtMost } from '@bot/core';
import type { DispatchPayload, GatewayPayload } from '../protocol/GatewayProtocol.js';
import { GatewayError } from '../errors/GatewayError.js';
import { isNoSession, sessionInfoProblem } from '../session/sessionInfoProblem.js';
import type { SessionInfo } from '../session/SessionStore.js';
import { StoredSessionMalformedError } from '../session/StoredSessionMalformedError.js';
import { Shard } from '../shard/Shard.js';
import { DEFAULT_CLOSE_GRACE_MS } from '../shard/ShardOptions.js';
import { DEFAULT_STABLE_AFTER_MS } from '../shard/Backoff.js';
import { CarriedInvalidations } from './CarriedInvalidations.js';
import { HandledSeqCell } from './HandledSeqCell.js';
import { closeHandlerAndStop } from './handlerClose.js';
import { loadThreadHandler } from './loadThreadHandler.js';
import type { FromWorker, ThreadInit, ToWorker } from './messages.js';
import { Outbox } from './Outbox.js';
import type { ThreadDispatchHandler } from './ThreadHandler.js';
import { ThreadHandling } from './ThreadHandling.js';
import { RemoteCalls } from './RemoteCalls.js';
import {
  DurableSeqs,
  forwardingLogger,
  LogAllowance,
  lowestOf,
  remoteIdentifyQueue,
  remoteSessionStore,
  remoteTokens,
  type AcknowledgeableSeq,
} from './remoteServices.js';
import { toWireError } from './wireError.js';

/** Log lines in flight to the main thread at most; more are dropped and counted. */
const MAX_LOG_LINES_IN_FLIGHT = 256;

/** The pause a closing shard's reading is held under while its handlings finish. */
const CLOSING: unique symbol = Symbol('closing');
/** The part of a close's grace kept for closing the socket, at most: the handlings get the rest. */
const SOCKET_CLOSE_MS = 1_000;

/** Messages that act on shards, which wait while the handler module loads; the others answer the thread. */
const DEFERRED_WHILE_LOADING: ReadonlySet<ToWorker['type']> = new Set([
  'start',
  'restart',
  'pause',
  'resume',
  'close',
  'invalidate',
  'send',
]);

/**
 * The shards of one worker thread: runs what the main thread asks (start, restart, pause,
 * resume, close, send) and reports every shard event back through the {@link Outbox}. Sockets,
 * heartbeats, parsing and resumes happen here; identify turns, sessions and tokens are the main
 * thread's, asked through {@link RemoteCalls}. With a handler module, dispatches go to its handler
 * here instead of crossing; the shards start once it is set up.
 */
export class ShardHost {
  readonly #init: ThreadInit;
  readonly #post: (message: FromWorker) => void;
  readonly #calls: RemoteCalls;
  readonly #outbox: Outbox;
  /** With a handler module, once it is set up: the handling of the dispatches here. */
  #handling: ThreadHandling | undefined;
  #handler: ThreadDispatchHandler | undefined;
  /** Messages held while the handler module loads; `undefined` once it is set up (or without one). */
  #deferred: ToWorker[] | undefined;
  readonly #shards = new Map<number, Shard>();
  /** Shards the main thread paused (back-pressure of its handlers). */
  readonly #paused = new Set<number>();
  /**
   * Shards whose close arrived and has not yet ended. With a handler module the shard itself is
   * closed only once its handlings finish; a restart in between must still lose to the close.
   */
  readonly #closing = new Set<number>();
  /**
   * Closes waiting for the handlings to finish that an invalidation reached first: they invalidate,
   * by the later of their own deadline and the invalidation's (kept here, on the steady clock).
   */
  readonly #invalidateAtClose = new Map<number, number>();
  /** Waiting for the handlings to finish before the shard's own close starts. */
  readonly #awaitingHandlings = new Set<number>();
  /** The invalidating closes that upgraded a shard's close under way, until the shard is closed. */
  readonly #upgrades = new Map<number, Promise<SessionInfo | undefined>>();
  readonly #durable = new DurableSeqs();
  /** Without a handler module: how far the main thread took each shard's dispatches, as it writes it. */
  readonly #taken = new Map<number, HandledSeqCell>();
  readonly #logs = new LogAllowance(MAX_LOG_LINES_IN_FLIGHT);
  /** Each shard's sessions ended by op 9 in a row, counted across the threads it ran on. */
  readonly #invalidations = new Map<number, CarriedInvalidations>();

  /**
   * @param init - what the thread was started with
   * @param post - sends a message to the main thread
   */
  public constructor(init: ThreadInit, post: (message: FromWorker) => void) {
    this.#init = init;
    this.#post = post;
    this.#calls = new RemoteCalls(post);
    this.#outbox = new Outbox(post, init.maxBatch, init.maxUnacked, (held) => this.#hold(held));
    if (init.handler !== undefined) this.#setUpHandler(init.handler.module, init.handler.data);
  }

  /** Carries out one message of the main thread. */
  public handle(message: ToWorker): void {
    if (this.#deferred !== undefined && DEFERRED_WHILE_LOADING.has(message.type)) {
      if (message.type === 'close' && this.#dropDeferredStart(message.id, message.invalidateSession)) return;
      this.#deferred.push(message);
      return;
    }
    switch (message.type) {
      case 'start':
        this.#start(message);
        return;
      case 'restart':
        this.#restart(message.id);
        return;
      case 'pause':
        this.#paused.add(message.id);
        this.#shards.get(message.id)?.pause();
        return;
      case 'resume':
        this.#paused.delete(message.id);
        if (!this.#holding) this.#shards.get(message.id)?.resume();
        return;
      case 'close':
        this.#close(message.id, message.invalidateSession, message.graceMs);
        return;
      case 'invalidate':
        this.#invalidate(message.id, message.graceMs);
        return;
      case 'send':
        this.#send(message.id, message.call, message.payload);
        return;
      case 'reply':
        this.#calls.settle(message);
        return;
      case 'ack':
        this.#logs.acknowledged(message.logs);
        this.#outbox.acknowledged(message.dispatches);
        return;
      case 'durable':
        this.#durable.update(message.seqs);
        return;
      case 'stop':
        this.#stop();
        return;
      case 'ping':
        this.#post({ type: 'pong' });
        return;
    }
  }

  /**
   * A shard closed while the handler module loads, before it started here: it is closed at once
   * rather than started only to be closed after the setup, which may outlast the time the main
   * thread waits for the close. What the close leaves is the store's: the session stored for the
   * shard (deleted first when the close invalidates it), as a started shard would have left it.
   *
   * @returns whether the shard's start was still waiting
   */
  #dropDeferredStart(id: number, invalidateSession: boolean): boolean {
    const deferred = this.#deferred ?? [];
    if (!deferred.some((message) => message.type === 'start' && message.id === id)) return false;
    this.#deferred = deferred.filter((message) => !('id' in message) || message.id !== id);
    const store = remoteSessionStore(this.#calls, this.#init.storeCallMs);
    const left = invalidateSession ? store.delete(id).then(() => undefined) : store.get(id);
    void left.catch(() => undefined).then((session) => this.#closed(id, this.#checkedStored(id, session)));
    return true;
  }

  /**
   * The session the store gave back for shard `id`, if a shard could resume with it; a malformed
   * one (the store is the user's and may give back anything) is reported as a started shard
   * reports it, and the close leaves none: posted on, the main thread would refuse it and stop
   * this whole thread as a broken one.
   */
  #checkedStored(id: number, stored: unknown): SessionInfo | undefined {
    if (isNoSession(stored)) return undefined;
    const problem = sessionInfoProblem(stored);
    if (problem === undefined) return stored as SessionInfo;
    this.#outbox.push([id, 'error', toWireError(new StoredSessionMalformedError(problem, id))]);
    return undefined;
  }

  /** Whether reading is stopped for the main thread, or the handler here, to catch up. */
  get #holding(): boolean {
    return this.#outbox.held || (this.#handling?.held ?? false);
  }

  /** A logger whose lines the main thread prints under the manager's logger. */
  #logger(): BotLogger {
    return forwardingLogger(this.#post, this.#init.logLevel, this.#logs);
  }

  /** Loads the handler module; the shard messages wait until it is set up. */
  #setUpHandler(module: string, data: unknown): void {
    this.#deferred = [];
    const context = {
      index: this.#init.thread,
      data,
      logger: childLogger(this.#logger(), `thread ${this.#init.thread}`),
      tokens: remoteTokens(this.#calls, this.#post),
    };
    loadThreadHandler(module, context).then(
      (handler) => {
        this.#handler = handler;
        this.#handling = new ThreadHandling(
          handler,
          this.#outbox,
          { maxRuns: this.#init.maxUnacked, timeoutMs: this.#init.handlerTimeoutMs },
          (held) => this.#hold(held),
        );
        const deferred = this.#deferred ?? [];
        this.#deferred = undefined;
        for (const message of deferred) this.handle(message);
      },
      // The main thread stops this thread's shards for good and ends it; the held messages stay unread.
      (error: unknown) => this.#post({ type: 'handlerFailed', error: toWireError(error) }),
    );
  }

  /**
   * Starts shard `id` as the main thread asks. Its fields are checked by the shard's own checks
   * (`validateShardOptions`): a wrong one throws here, as it would in the main thread's process.
   */
  #start(start: Extract<ToWorker, { type: 'start' }>): void {
    const { id, total, gatewayUrl, paused, handled, taken, sessionStartTotal, invalidatedSessions } = start;
    const shard = new Shard({
      ...this.#init.behaviour,
      id,
      total,
      gatewayUrl,
      ...(sessionStartTotal === undefined ? {} : { sessionStartTotal }),
      intents: this.#init.intents,
      intentName: Intents.nameOf,
      tokens: remoteTokens(this.#calls, this.#post),
      identifyQueue: remoteIdentifyQueue(this.#calls, this.#post),
      sessionStore: remoteSessionStore(this.#calls, this.#init.storeCallMs, this.#acknowledgeable()),
      logger: this.#logger(),
    });
    this.#shards.get(id)?.removeAllListeners(); // a shard that failed before, replaced
    this.#invalidations.get(id)?.release();
    const invalidations = new CarriedInvalidations(
      shard,
      {
        shardId: id,
        carried: invalidatedSessions ?? 0,
        stableAfterMs: this.#init.behaviour.backoff?.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS,
        shardCount: total,
        sessionStartTotal,
      },
      () => this.#outbox.push([id, 'invalidated', 0]),
    );
    this.#invalidations.set(id, invalidations);
    if (HandledSeqCell.fits(taken)) this.#taken.set(id, new HandledSeqCell(taken));
    else this.#taken.delete(id);
    this.#shards.set(id, shard);
    const out = this.#outbox;
    const handling = this.#handling;
    if (handling === undefined) {
      shard.on('dispatch', (payload) =>
        out.push(seqTaken(shard, payload) ? [id, 'dispatch', payload] : [id, 'dispatch', payload, false]),
      );
      shard.on('state', (state, previous) =>
        out.push([id, 'state', state, previous, invalidations.status(shard.status())]),
      );
    } else {
      handling.started(id, HandledSeqCell.fits(handled) ? new HandledSeqCell(handled) : undefined);
      shard.on('dispatch', (payload) => handling.dispatch(id, total, payload, seqTaken(shard, payload)));
      shard.on('state', (state, previous) =>
        out.push([id, 'state', state, previous, handling.statusOf(id, invalidations.status(shard.status()))]),
      );
    }
    // The count starts over as the shard's does: a connection ready for `stableAfterMs`, timed
    // from `ready` (reported then), read again at its heartbeats and its end.
    shard.on('state', (state) => {
      if (state === 'ready') invalidations.ready(steadyNow());
    });
    shard.on('heartbeat', (latency) => {
      if (invalidations.alive(steadyNow())) out.push([id, 'invalidated', invalidations.count]);
      out.push([id, 'heartbeat', latency]);
    });
    // Before the shard moves on to `reconnecting`, whose report then shows a pause held here.
    shard.on('close', (closed) => {
      const { event, changed, report } = invalidations.closed(closed, steadyNow());
      if (report !== undefined) out.push([id, 'error', toWireError(report)]);
      out.push([id, 'close', event]);
      if (changed) out.push([id, 'invalidated', invalidations.count]);
    });
    shard.on('debug', (text) => out.push([id, 'debug', text]));
    // The shard's report of an op 9 session counts only this thread's: the close reports the sum.
    shard.on('error', (error) => {
      if (!invalidations.replaces(error)) out.push([id, 'error', toWireError(error)]);
    });
    if (paused) this.#paused.add(id);
    if (paused || this.#holding) shard.pause();
    // The outcome reaches the main thread as state items.
    shard.start().catch(() => undefined);
  }

  /**
   * How far a shard's heartbeats and resumes may acknowledge its session: no further than the
   * main thread's store holds it durably (when the store tells), nor, with a handler, than it is
   * handled here, where a crash resumes it from, nor, without one, than the main thread took its
   * dispatches (read from memory it writes: this thread never waits for it), where the session is
   * stored if this thread is stopped. A strict platform refuses a resume from behind what was
   * acknowledged (docs/redis-deployment.md, "Durable sequence").
   */
  #acknowledgeable(): AcknowledgeableSeq | undefined {
    const [durable, handling] = [this.#durable, this.#handling];
    return lowestOf([
      ...(this.#init.durableSeq ? [durable.of.bind(durable)] : []),
      handling === undefined
        ? (id, sessionId) => this.#takenSeq(id, sessionId)
        : handling.handledSeq.bind(handling),
    ]);
  }

  /**
   * How far the main thread took session `sessionId` of shard `id`, as it last wrote; every seq
   * read when the session's id was too long for the memory (as before there was a bound).
   */
  #takenSeq(id: number, sessionId: string): number | undefined {
    const point = this.#taken.get(id)?.read();
    if (point === undefined) return undefined;
    if (point.sessionId === undefined) return Number.POSITIVE_INFINITY;
    return point.sessionId === sessionId ? point.seq : undefined;
  }

  /**
   * A restart the shard refuses (its close is under way, and wins) is reported as its error. The
   * host refuses it too from the moment the close message arrived, as the shard would: with a
   * handler module the shard's own close starts only after the handlings finish, and a restart
   * let through before that would reconnect the session the user is closing.
   */
  #restart(id: number): void {
    try {
      if (this.#closing.has(id)) throw restartWhileClosing(id);
      this.#shards.get(id)?.restart();
      // After the restart, which then finds the wait already cut short: the shard connects now.
      this.#invalidations.get(id)?.release();
    } catch (error) {
      this.#outbox.push([id, 'error', toWireError(error)]);
    }
  }

  #close(id: number, invalidateSession: boolean, graceMs: number | undefined): void {
    const shard = this.#shards.get(id);
    const handling = this.#handling;
    if (shard !== undefined) this.#closing.add(id);
    if (shard === undefined || handling === undefined) {
      const closing = shard?.close({ invalidateSession, ...(graceMs === undefined ? {} : { graceMs }) });
      void this.#closeWith(id, closing, undefined);
      return;
    }
    // The shard stops reading and its handlings finish first, within the grace, and how far they
    // got crosses before the close writes the session: the resume point is then the last event
    // handled, not one before handlings that finished during the close. The socket closes in what
    // is left of the grace (a fifth of it, at most 1 s, is kept for that), so the close keeps to
    // its grace: a shutdown's deadline, a lease released in time for the next owner.
    const grace = this.#closeGrace(graceMs);
    const started = steadyNow();
    shard.pause(CLOSING);
    const socketMs = Math.min(SOCKET_CLOSE_MS, grace / 5);
    this.#awaitingHandlings.add(id);
    void waitAtMost(handling.idle(id), grace - socketMs).then(() => {
      this.#awaitingHandlings.delete(id);
      this.#outbox.flush();
      const upgradeDeadline = this.#invalidateAtClose.get(id);
      const deadline = Math.max(started + grace, upgradeDeadline ?? 0);
      const left = Math.max(socketMs, deadline - steadyNow());
      const invalidates = invalidateSession || upgradeDeadline !== undefined;
      void this.#closeWith(id, shard.close({ invalidateSession: invalidates, graceMs: left }), handling);
    });
  }

  /**
   * Upgrades the close under way of shard `id` to one that invalidates the session. A close still
   * waiting for the handlings invalidates when it starts, within the later of the two closes'
   * deadlines (the handlings are still waited for within the first close's grace only, as that
   * wait began under it); a started one is upgraded by the shard (see `Shard.close`), and the host
   * reports the shard closed once that close has ended too, with what it left. Nothing for a shard
   * not closing here: its close has ended, and the main thread forgets what it reported left.
   */
  #invalidate(id: number, graceMs: number | undefined): void {
    const shard = this.#shards.get(id);
    if (shard === undefined || !this.#closing.has(id) || this.#upgrades.has(id)) return;
    if (this.#awaitingHandlings.has(id)) {
      this.#invalidateAtClose.set(id, steadyNow() + this.#closeGrace(graceMs));
      return;
    }
    const upgrade = shard.close({ invalidateSession: true, ...(graceMs === undefined ? {} : { graceMs }) });
    this.#upgrades.set(
      id,
      upgrade.catch(() => undefined),
    );
  }

  /** A close's grace: its own, or the shard's. */
  #closeGrace(graceMs: number | undefined): number {
    return graceMs ?? this.#init.behaviour.timeouts?.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  }

  async #closeWith(
    id: number,
    closing: Promise<SessionInfo | undefined> | undefined,
    handling: ThreadHandling | undefined,
  ): Promise<void> {
    let session = await (closing ?? Promise.resolve(undefined)).catch(() => undefined);
    // An upgrade that came meanwhile may still be forgetting the session: reported once it has.
    const upgrade = this.#upgrades.get(id);
    if (upgrade !== undefined) session = await upgrade;
    this.#closed(id, handling === undefined ? session : handling.closed(id, session));
  }

  #closed(id: number, session: SessionInfo | undefined): void {
    const shard = this.#shards.get(id);
    shard?.removeAllListeners();
    this.#shards.delete(id);
    this.#invalidations.get(id)?.release();
    this.#invalidations.delete(id);
    this.#paused.delete(id);
    this.#closing.delete(id);
    this.#upgrades.delete(id);
    this.#invalidateAtClose.delete(id);
    this.#awaitingHandlings.delete(id);
    this.#outbox.push([id, 'closed', session]);
    this.#outbox.flush();
  }

  /**
   * The main thread ends this thread (its last shard is closed): the handler may finish what it
   * keeps (a client's shutdown), within its deadline, before the thread says so ({@link closeHandlerAndStop}).
   */
  #stop(): void {
    this.#handling?.stop();
    const { thread: index, logLevel } = this.#init;
    void closeHandlerAndStop(this.#handler, { index, logLevel, post: this.#post, logs: this.#logs });
  }

  #send(id: number, call: number, payload: GatewayPayload): void {
    const shard = this.#shards.get(id);
    const sending = shard === undefined ? Promise.reject(new Error('no such shard')) : shard.send(payload);
    sending.then(
      () => this.#outbox.push([id, 'sent', call, undefined]),
      (error: unknown) => this.#outbox.push([id, 'sent', call, toWireError(error)]),
    );
  }

  /** Stops or restarts reading every shard while the main thread, or the handler here, catches up. */
  #hold(held: boolean): void {
    for (const [id, shard] of this.#shards) {
      // A shard resumed first replays the frames it held back, which may fill the outbox (or the
      // handler's runs) again: then the others stay paused, or the bound would not hold.
      if (!held && this.#holding) return;
      if (held) shard.pause();
      else if (!this.#paused.has(id)) shard.resume();
    }
  }
}

/** The refusal `Shard.restart()` throws while `close()` is under way, word for word. */
function restartWhileClosing(id: number): GatewayError {
  return new GatewayError(
    'is closing: restart() has no effect while close() is under way; start it again once close() has resolved',
    id,
  );
}

/**
 * Whether `shard`, emitting `payload`, moved its resume point to the dispatch's seq: it emits
 * synchronously after judging the seq, so its position is then that seq exactly when it was taken.
 * A seq far ahead of the last one read (see `SequenceCheck`), or no seq at all, is delivered
 * without being taken; what follows the shard's resume point must skip it too.
 */
function seqTaken(shard: Shard, payload: DispatchPayload): boolean {
  return isSequence(payload.s) && shard.seq === payload.s;
}
