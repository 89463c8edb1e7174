import type { Worker } from 'node:worker_threads';
import { messageOf, type BotLogger } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import { DEFAULT_STABLE_AFTER_MS } from '../shard/Backoff.js';
import { messageTypeOf, refusalContext, type ThreadFacts, violationOf } from './fromWorkerCheck.js';
import { isNoSession, sessionInfoProblem } from '../session/sessionInfoProblem.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { FromWorker, ThreadInit, ToWorker, WorkerInit } from './messages.js';
import { RunningThreadMessages } from './RunningThreadMessages.js';
import { HandledSeqCell } from './HandledSeqCell.js';
import { ServedCalls, type WorkerServices } from './ServedCalls.js';
import { ThreadHandlerError } from './ThreadHandlerError.js';
import { StoppingThread } from './StoppingThread.js';
import { ThreadLogLines } from './ThreadLogLines.js';
import { ThreadMessageError } from './ThreadMessageError.js';
import { type RestartPolicy, ThreadRespawn } from './ThreadRespawn.js';
import { ThreadRestarts } from './ThreadRestarts.js';
import { ThreadUnresponsiveError } from './ThreadUnresponsiveError.js';
import { DEFAULT_UNRESPONSIVE_MS, ThreadWatchdog } from './ThreadWatchdog.js';
import { deliverableSession, saveSessions } from './threadSessions.js';
import { fromWireError } from './wireError.js';
import { WorkerRestartsExhaustedError } from './WorkerRestartsExhaustedError.js';
import { startWorkerThread } from './workerExecArgv.js';
import type { WireError } from './wireError.js';
import type { WorkerScript } from './workerScript.js';
import type { WorkerLink } from './WorkerLink.js';
import type { WorkerShard } from './WorkerShard.js';

export type { WorkerServices } from './ServedCalls.js';
export type { RestartPolicy } from './ThreadRespawn.js';

/**
 * One worker thread seen from the main thread: starts it when it gets its first shard and stops
 * it once its last shard is closed; stops it, too, once it has answered nothing for
 * `unresponsiveMs` ({@link ThreadWatchdog}); checks the thread's reports, routes them to its
 * {@link WorkerShard}s and acknowledges them; serves its calls for identify turns, sessions and
 * tokens; and when it exits unasked (or posts something malformed, and is stopped with a
 * {@link ThreadMessageError}), writes each
 * shard's session (as delivered here) to the store and starts a new thread, where the shards
 * resume, after a back-off and at most `maxRestarts` times in a row.
 */
export class ShardWorker implements WorkerLink {
  /** Index of the thread in its strategy. */
  public readonly index: number;
  readonly #script: WorkerScript;
  readonly #init: WorkerInit;
  readonly #services: () => WorkerServices;
  readonly #policy: RestartPolicy;
  readonly #shards = new Map<number, WorkerShard>();
  /** Every shard ever given to the thread: what it may report on (a closed one's last words too). */
  readonly #known = new Set<number>();
  /**
   * How far each shard's session is handled: with a handler module, as the thread writes it (read
   * here once the thread ended); without, as this thread's listeners took it (written here).
   */
  readonly #cells = new Map<number, HandledSeqCell>();
  readonly #calls: ServedCalls;
  readonly #logs: ThreadLogLines;
  readonly #restarts: ThreadRestarts;
  readonly #messages: RunningThreadMessages;
  #worker: Worker | undefined;
  readonly #stopping = new StoppingThread((text) => this.#log().warn(`worker thread ${this.index} ${text}`));
  readonly #respawn: ThreadRespawn;
  readonly #watchdog: ThreadWatchdog;
  #nextCall = 0;
  /** Whether the running thread has reported on a shard: it has loaded, handler module included. */
  #reported = false;
  /** Why the running thread was stopped here, if it was: what its exit is handled as. */
  #stoppedFor: Error | undefined;

  /**
   * @param index - index of the thread in its strategy
   * @param script - the entry point
   * @param init - what the thread starts with
   * @param services - the manager's queue, store, tokens and logger
   * @param policy - restarts
   */
  public constructor(
    index: number,
    script: WorkerScript,
    init: WorkerInit,
    services: () => WorkerServices,
    policy: RestartPolicy,
  ) {
    this.index = index;
    this.#script = script;
    this.#init = init;
    this.#services = services;
    this.#policy = policy;
    this.#respawn = new ThreadRespawn(policy);
    const unresponsiveMs = policy.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS;
    this.#watchdog = new ThreadWatchdog(
      unresponsiveMs,
      () => this.#reported,
      ({ silentMs, allowedMs, loaded }) =>
        this.#stopFor(
          new ThreadUnresponsiveError({
            thread: index,
            module: init.handler?.module,
            phase: loaded ? 'running' : 'loading',
            silentMs,
            allowedMs,
          }),
        ),
    );
    this.#logs = new ThreadLogLines(() => services().logger);
    this.#restarts = new ThreadRestarts(init.behaviour.backoff?.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS);
    this.#calls = new ServedCalls(services, {
      deliverable: (id, session) => deliverableSession(this.#shards.get(id), session),
      stored: (id) => this.#messages.tellDurable([id]),
      loaded: (id, stored) => this.#loaded(id, stored),
    });
    this.#messages = new RunningThreadMessages({
      shards: this.#shards,
      calls: this.#calls,
      logs: this.#logs,
      restarts: this.#restarts,
      services,
      current: () => this.#worker,
      durableSeq: init.durableSeq,
      took: (ids) => this.#took(ids),
    });
  }

  /** The running thread, if any. */
  public get thread(): Worker | undefined {
    return this.#worker;
  }

  /** Ids of the shards it runs. */
  public get shardIds(): number[] {
    return [...this.#shards.keys()];
  }

  /** Restarts in a row so far. */
  public get restarts(): number {
    return this.#restarts.count;
  }

  /** Gives the thread a shard to run (the shard is started by its own `start`). */
  public attach(shard: WorkerShard): void {
    this.#shards.set(shard.id, shard);
    this.#known.add(shard.id);
    if (this.#worker === undefined && !this.#respawn.pending) this.#spawn();
  }

  /** @inheritdoc */
  public post(message: ToWorker): boolean {
    // A shard started again after its thread gave up (restarts exhausted) gets a fresh thread.
    if (message.type === 'start' && this.#worker === undefined && !this.#respawn.pending) {
      this.#restarts.reset();
      this.#spawn();
    }
    if (this.#worker === undefined) return false;
    this.#worker.postMessage(message.type === 'start' ? this.#withHandledCell(message) : message);
    return true;
  }

  /** @inheritdoc */
  public nextCall(): number {
    return ++this.#nextCall;
  }

  /** @inheritdoc */
  public detach(id: number): void {
    this.#shards.delete(id);
    this.#cells.delete(id);
    this.#messages.forgetDurable(id);
    if (this.#shards.size > 0) return;
    this.#respawn.cancel();
    this.#restarts.reset();
    const worker = this.#worker;
    this.#worker = undefined;
    this.#watchdog.stop();
    this.#messages.threadGone();
    if (worker === undefined) return;
    const handled = this.#init.handler !== undefined;
    // A thread with a handler runs its close() before it ends: its token calls still get answers.
    this.#calls.withdraw(worker, handled ? { tokensWhile: () => this.#stopping.is(worker) } : undefined);
    this.#stopping.stop(worker, handled);
  }

  /** Resolves once every thread stopped for want of shards has exited (at once if none is stopping). */
  public ended(): Promise<void> {
    return this.#stopping.ended();
  }

  /** @inheritdoc */
  public unresponsive(reason: string): void {
    this.#stopFor(new GatewayError(`worker thread ${this.index} stopped: ${reason}`, undefined));
  }

  /** Ends the running thread for `error`, which its exit (shards saved and resumed) is handled as. */
  #stopFor(error: Error): void {
    const worker = this.#worker;
    // Stopped once already: the first cause stands (a slow terminate must not get a second verdict).
    if (worker === undefined || this.#stoppedFor !== undefined) return;
    this.#log().error(error.message);
    this.#stoppedFor = error;
    this.#watchdog.stop();
    void worker.terminate(); // not asked by a detach: handled as an exit, shards saved and resumed
  }

  #spawn(): void {
    this.#respawn.spawned();
    this.#messages.forgetDurable();
    this.#reported = false;
    this.#stoppedFor = undefined;
    const { resourceLimits } = this.#policy;
    // The process's flags, without those a thread refuses (see `startWorkerThread`).
    const worker = startWorkerThread(this.#script.entry, {
      workerData: { ...this.#init, thread: this.index } satisfies ThreadInit,
      eval: this.#script.eval,
      ...(resourceLimits === undefined ? {} : { resourceLimits }),
    });
    this.#worker = worker;
    this.#watchdog.watch(worker);
    worker.on('message', (message: unknown) => this.#onMessage(worker, message));
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
      this.#log().error(`worker thread ${this.index} failed: ${error.message}`);
    });
    worker.on('exit', (code) => this.#onExit(worker, code, failure));
  }

  #onMessage(worker: Worker, raw: unknown): void {
    if (this.#stopping.is(worker)) {
      this.#stopping.receive(worker, raw, this.#facts(), {
        logs: this.#logs,
        calls: this.#calls,
        clientError: (message) => this.#messages.clientError(message),
      });
      return;
    }
    if (this.#worker !== worker) return; // an earlier thread: its last words count no more
    // Stopped for a reason: what it posted after (already queued here) is not acted on, or an
    // event past a refused one would be delivered and its seq saved, and the refused one lost.
    if (this.#stoppedFor !== undefined) return;
    this.#watchdog.heard();
    const violation = violationOf(raw, this.#facts());
    if (violation !== undefined) {
      const context = { module: this.#init.handler?.module, ...refusalContext(raw, this.#facts()) };
      this.#stopFor(new ThreadMessageError(this.index, messageTypeOf(raw), violation, context));
      return;
    }
    const message = raw as FromWorker;
    if (message.type === 'items') this.#reported = true;
    if (message.type === 'handlerFailed') this.#handlerFailed(worker, message.error);
    else this.#messages.receive(worker, message);
  }

  /**
   * The thread's handler module cannot be set up: its shards stop for good rather than restart,
   * since a new thread would load the same module and fail alike. A later start of one of them
   * starts a fresh thread.
   */
  #handlerFailed(worker: Worker, wire: WireError): void {
    const module = this.#init.handler?.module ?? '(no module)';
    const error = new ThreadHandlerError(this.index, module, this.shardIds, { cause: fromWireError(wire) });
    this.#worker = undefined;
    this.#watchdog.stop();
    this.#messages.threadGone();
    this.#calls.withdraw(worker);
    this.#stopping.stop(worker, false);
    let emitted = false;
    for (const shard of [...this.#shards.values()]) emitted = shard.failForGood(error) || emitted;
    // A running shard reports it (the manager once for all, to its error listeners or its log);
    // with none (no shards, or each closing) it is logged here, or nobody would hear of it.
    if (!emitted) this.#log().error(error.message);
  }

  /**
   * A shard's start carries the memory of the shard's {@link HandledSeqCell}: the thread writes it
   * with a handler module, this thread without (the same across threads: what was handled stays true).
   */
  #withHandledCell(message: Extract<ToWorker, { type: 'start' }>): ToWorker {
    const buffer = this.#cellOf(message.id).buffer;
    return this.#init.handler === undefined ? { ...message, taken: buffer } : { ...message, handled: buffer };
  }

  #cellOf(id: number): HandledSeqCell {
    let cell = this.#cells.get(id);
    if (cell === undefined) {
      cell = new HandledSeqCell();
      this.#cells.set(id, cell);
    }
    return cell;
  }

  /**
   * Without a handler module, shards `ids` (those a message reported on, each once: a write per
   * item would cost a batch's length in writes when shards alternate in it) were taken here as far
   * as their sessions now stand: their threads may acknowledge that far.
   */
  #took(ids: readonly number[]): void {
    if (this.#init.handler !== undefined) return;
    for (const id of ids) {
      const session = this.#shards.get(id)?.session;
      if (session !== undefined) this.#cells.get(id)?.write(session.sessionId, session.seq);
    }
  }

  /**
   * Without a handler module, a session the store gave the thread (its shard resumes it: stored by
   * an earlier thread or process) is taken as far as stored: the thread may acknowledge that far.
   */
  #loaded(id: number, stored: unknown): void {
    if (this.#init.handler !== undefined || isNoSession(stored) || sessionInfoProblem(stored) !== undefined)
      return;
    const { sessionId, seq } = stored as SessionInfo;
    const cell = this.#cellOf(id);
    const point = cell.read();
    if (point?.sessionId !== sessionId || point.seq < seq) cell.write(sessionId, seq);
  }

  /**
   * With a handler module, the thread has ended: each shard's session moves to how far the thread
   * handled it, which its heartbeats may have acknowledged though the reports of it were never taken
   * here (dropped after a refused message, or still in the thread's outbox).
   */
  #takeHandled(): void {
    if (this.#init.handler === undefined) return;
    for (const [id, cell] of this.#cells) {
      const point = cell.read();
      if (point?.sessionId !== undefined) this.#shards.get(id)?.handledOnThread(point.sessionId, point.seq);
    }
  }

  /** What the thread's messages are checked against. */
  #facts(): ThreadFacts {
    return {
      ownsShard: (id) => this.#known.has(id),
      maxBatch: this.#init.maxBatch,
      handlerModule: this.#init.handler !== undefined,
    };
  }

  #onExit(worker: Worker, code: number, thrown: Error | undefined): void {
    this.#calls.withdraw(worker); // none of its calls can be answered now
    this.#logs.forget(worker);
    if (this.#stopping.exited(worker, code, thrown !== undefined)) return;
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#watchdog.stop();
    this.#messages.threadGone();
    this.#restarts.exited();
    const failure = thrown ?? this.#stoppedFor;
    const reason = `worker thread ${this.index} exited with code ${code}${failure ? ` (${failure.message})` : ''}`;
    this.#takeHandled();
    const saved = saveSessions(this.#shards.values(), this.#services().sessionStore, this.#log());
    this.#restartAfter(reason, failure, saved);
  }

  /**
   * The thread is gone (it exited, or a new one could not start): a new one starts after the
   * back-off, once the sessions are `saved`, and its shards resume; past `maxRestarts` in a row
   * they stop for good instead.
   */
  #restartAfter(reason: string, failure: Error | undefined, saved: Promise<void>): void {
    const restarts = this.#restarts.count;
    const delayMs = this.#respawn.delayAfter(restarts);
    if (delayMs === undefined) {
      const error = new WorkerRestartsExhaustedError(this.index, restarts, this.shardIds, {
        cause: failure ?? new Error(reason),
      });
      this.#log().error(error.message);
      for (const shard of [...this.#shards.values()]) shard.failForGood(error);
      return;
    }
    this.#restarts.add();
    this.#log().warn(`${reason}; restarting it in ${delayMs} ms, its shards resume`);
    for (const shard of [...this.#shards.values()]) shard.lost(reason, delayMs);
    if (this.#shards.size === 0) return;
    this.#respawn.schedule(delayMs, saved, () => {
      if (this.#shards.size === 0) return;
      try {
        this.#spawn();
      } catch (error) {
        // Node.js could not start it (no thread or memory left): tried again as a thread that exited.
        const cause = error instanceof Error ? error : new Error(messageOf(error));
        this.#restartAfter(`worker thread ${this.index} could not start (${cause.message})`, cause, saved);
        return;
      }
      for (const shard of this.#shards.values()) shard.relaunch();
    });
  }

  #log(): BotLogger {
    return this.#logs.workers;
  }
}
