import { type BotLogger, childLogger, Intents, isThenable, waitAtMost } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { DispatchPayload, GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import { Shard } from '../shard/Shard.js';
import type { ShardStatus } from '../shard/ShardState.js';
import { DEFAULT_CLOSE_GRACE_MS } from '../shard/ShardOptions.js';
import { HandlerRuns } from './HandlerRuns.js';
import { loadThreadHandler } from './loadThreadHandler.js';
import type { FromWorker, ThreadInit, ToWorker } from './messages.js';
import { Outbox } from './Outbox.js';
import type { ThreadDispatchHandler } from './ThreadHandler.js';
import { RemoteCalls } from './RemoteCalls.js';
import {
  DurableSeqs,
  forwardingLogger,
  LogAllowance,
  remoteIdentifyQueue,
  remoteSessionStore,
  remoteTokens,
} from './remoteServices.js';
import { toWireError } from './wireError.js';

/** Log lines in flight to the main thread at most; more are dropped and counted. */
const MAX_LOG_LINES_IN_FLIGHT = 256;

/** Messages that act on shards, which wait while the handler module loads; the others answer the thread. */
const DEFERRED_WHILE_LOADING: ReadonlySet<ToWorker['type']> = new Set([
  'start',
  'restart',
  'pause',
  'resume',
  'close',
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
  readonly #runs: HandlerRuns;
  /**
   * With a handler module: per shard, the session whose events it handles and how far they are
   * handled, which is what the main thread is told as the shard's sequence number.
   */
  readonly #handled = new Map<number, { sessionId: string | undefined; seq: number | null }>();
  #handler: ThreadDispatchHandler | undefined;
  /** Messages held while the handler module loads; `undefined` once it is set up (or without one). */
  #deferred: ToWorker[] | undefined;
  readonly #shards = new Map<number, Shard>();
  /** Shards the main thread paused (back-pressure of its handlers). */
  readonly #paused = new Set<number>();
  readonly #durable = new DurableSeqs();
  readonly #logs = new LogAllowance(MAX_LOG_LINES_IN_FLIGHT);

  /**
   * @param init - what the thread was started with
   * @param post - sends a message to the main thread
   */
  public constructor(init: ThreadInit, post: (message: FromWorker) => void) {
    this.#init = init;
    this.#post = post;
    this.#calls = new RemoteCalls(post);
    this.#outbox = new Outbox(post, init.maxBatch, init.maxUnacked, (held) => this.#hold(held));
    this.#runs = new HandlerRuns(
      init.maxUnacked,
      (held) => this.#hold(held),
      (id, seq) => this.#progress(id, seq),
    );
    if (init.handler !== undefined) this.#setUpHandler(init.handler.module, init.handler.data);
  }

  /** Carries out one message of the main thread. */
  public handle(message: ToWorker): void {
    if (this.#deferred !== undefined && DEFERRED_WHILE_LOADING.has(message.type)) {
      this.#deferred.push(message);
      return;
    }
    switch (message.type) {
      case 'start':
        this.#start(message.id, message.total, message.gatewayUrl, message.paused);
        return;
      case 'restart':
        this.#shards.get(message.id)?.restart();
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
    }
  }

  /** Whether reading is stopped for the main thread, or the handler here, to catch up. */
  get #holding(): boolean {
    return this.#outbox.held || this.#runs.held;
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
        const deferred = this.#deferred ?? [];
        this.#deferred = undefined;
        for (const message of deferred) this.handle(message);
      },
      // The main thread stops this thread's shards for good and ends it; the held messages stay unread.
      (error: unknown) => this.#post({ type: 'handlerFailed', error: toWireError(error) }),
    );
  }

  /** Hands one dispatch to the handler; a promise it returns counts until it settles. */
  #dispatch(handler: ThreadDispatchHandler, id: number, total: number, payload: DispatchPayload): void {
    let result: unknown;
    try {
      result = handler.dispatch(payload, id, total);
    } catch (error) {
      this.#handlerFailed(id, payload, error);
    }
    if (isThenable(result)) {
      const failed = (error: unknown): void => this.#handlerFailed(id, payload, error);
      this.#runs.track(id, payload.s, Promise.resolve(result).then(undefined, failed));
    } else {
      this.#runs.finished(id, payload.s);
    }
  }

  /** Every event of shard `id`'s session up to `seq` is handled: the main thread's resume point moves. */
  #progress(id: number, seq: number): void {
    const handled = this.#handled.get(id);
    if (handled === undefined) return;
    handled.seq = seq;
    this.#outbox.handled(id, seq);
  }

  /**
   * The shard's status for the main thread. With a handler module, its sequence number is how far
   * the handler finished, not how far the shard read; a session first seen here starts from where
   * the shard started it (a resume's sequence number, or a new session's first).
   */
  #statusOf(id: number, shard: Shard): ShardStatus {
    const status = shard.status();
    if (this.#handler === undefined) return status;
    let handled = this.#handled.get(id);
    if (handled === undefined || handled.sessionId !== status.sessionId) {
      if (handled !== undefined) this.#runs.newSession(id);
      handled = { sessionId: status.sessionId, seq: status.seq };
      this.#handled.set(id, handled);
    }
    return { ...status, seq: handled.seq };
  }

  /** A closing shard's session, its sequence number no further than the handler finished. */
  #closedSession(id: number, session: SessionInfo | undefined): SessionInfo | undefined {
    const handled = this.#handled.get(id);
    if (session === undefined || handled === undefined || handled.sessionId !== session.sessionId)
      return session;
    return { ...session, seq: Math.min(session.seq, handled.seq ?? 0) };
  }

  #handlerFailed(id: number, payload: DispatchPayload, error: unknown): void {
    const event = `${payload.t ?? 'a dispatch'}${typeof payload.id === 'string' ? ` (event ${payload.id})` : ''}`;
    const failure = new GatewayError(
      `the thread's dispatch handler failed on ${event}: ${error instanceof Error ? error.message : String(error)}; ` +
        'the next events still come: catch in the handler what it can recover from',
      id,
      { cause: error },
    );
    this.#outbox.push([id, 'error', toWireError(failure)]);
  }

  #start(id: number, total: number, gatewayUrl: string, paused: boolean): void {
    this.#shards.get(id)?.removeAllListeners(); // a shard that failed before, replaced
    const shard = new Shard({
      ...this.#init.behaviour,
      id,
      total,
      gatewayUrl,
      intents: this.#init.intents,
      intentName: Intents.nameOf,
      tokens: remoteTokens(this.#calls, this.#post),
      identifyQueue: remoteIdentifyQueue(this.#calls, this.#post),
      sessionStore: remoteSessionStore(
        this.#calls,
        this.#init.storeCallMs,
        this.#init.durableSeq ? this.#durable : undefined,
      ),
      logger: this.#logger(),
    });
    this.#shards.set(id, shard);
    const out = this.#outbox;
    const handler = this.#handler;
    if (handler === undefined) shard.on('dispatch', (payload) => out.push([id, 'dispatch', payload]));
    else shard.on('dispatch', (payload) => this.#dispatch(handler, id, total, payload));
    shard.on('state', (state, previous) =>
      out.push([id, 'state', state, previous, this.#statusOf(id, shard)]),
    );
    shard.on('heartbeat', (latency) => out.push([id, 'heartbeat', latency]));
    shard.on('close', (event) => out.push([id, 'close', event]));
    shard.on('debug', (text) => out.push([id, 'debug', text]));
    shard.on('error', (error) => out.push([id, 'error', toWireError(error)]));
    if (paused) this.#paused.add(id);
    if (paused || this.#holding) shard.pause();
    // The outcome reaches the main thread as state items.
    shard.start().catch(() => undefined);
  }

  #close(id: number, invalidateSession: boolean, graceMs: number | undefined): void {
    const shard = this.#shards.get(id);
    const closing = shard?.close({ invalidateSession, ...(graceMs === undefined ? {} : { graceMs }) });
    // The handler's runs of the shard finish within the same grace (the main thread stops a thread
    // that does not report the close soon after it).
    const grace = graceMs ?? this.#init.behaviour.timeouts?.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    const handled = waitAtMost(this.#runs.idle(id), grace);
    const closed = (closing ?? Promise.resolve(undefined)).catch(() => undefined);
    void Promise.all([closed, handled]).then(([session]) =>
      this.#closed(id, this.#closedSession(id, session)),
    );
  }

  #closed(id: number, session: SessionInfo | undefined): void {
    const shard = this.#shards.get(id);
    shard?.removeAllListeners();
    this.#shards.delete(id);
    this.#paused.delete(id);
    this.#handled.delete(id);
    this.#outbox.push([id, 'closed', session]);
    this.#outbox.flush();
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
