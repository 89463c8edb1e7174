import { Worker } from 'node:worker_threads';
import { type BotLogger, backoffDelay, childLogger, waitAtMost } from '@bot/core';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import { DEFAULT_STABLE_AFTER_MS } from '../shard/Backoff.js';
import { ConnectionStability } from '../shard/ConnectionStability.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import type { TokenSource } from '../shard/TokenSource.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';
import { toWireError } from './wireError.js';
import { WorkerRestartsExhaustedError } from './WorkerRestartsExhaustedError.js';
import type { WorkerScript } from './workerScript.js';
import type { WorkerLink } from './WorkerLink.js';
import type { WorkerShard } from './WorkerShard.js';

/** What the main thread serves to worker shards: the manager's one queue, store, tokens and logger. */
export interface WorkerServices {
  identifyQueue: IdentifyQueue;
  sessionStore: SessionStore;
  tokens: TokenSource;
  logger: BotLogger;
}

/** Longest wait for the sessions to be saved before a new thread starts anyway. */
const SAVE_DEADLINE_MS = 5_000;

/** How a thread that exits unasked is restarted. */
export interface RestartPolicy {
  /**
   * Restarts in a row before its shards stop for good. The count starts over once a thread's
   * shards have stayed ready for the shards' `backoff.stableAfterMs`, as a shard's own back-off does.
   */
  maxRestarts: number;
  /** Back-off before a restart: `baseMs · 2^n`, jittered, capped at `maxMs`. */
  baseMs: number;
  /** Longest back-off. */
  maxMs: number;
}

/**
 * One worker thread seen from the main thread: starts it when it gets its first shard and stops
 * it once its last shard is closed; routes the thread's reports to its {@link WorkerShard}s and
 * acknowledges them; serves its calls for identify turns, sessions and tokens; and when it exits
 * unasked, writes each shard's session (as last seen here) to the store and starts a new thread,
 * where the shards resume, after a back-off and at most `maxRestarts` times in a row.
 */
export class ShardWorker implements WorkerLink {
  /** Index of the thread in its strategy. */
  public readonly index: number;
  readonly #script: WorkerScript;
  readonly #init: WorkerInit;
  readonly #services: () => WorkerServices;
  readonly #policy: RestartPolicy;
  readonly #shards = new Map<number, WorkerShard>();
  readonly #calls = new Map<number, AbortController>();
  readonly #loggers = new Map<string, BotLogger>();
  #worker: Worker | undefined;
  #stopping: Worker | undefined;
  #respawn: NodeJS.Timeout | undefined;
  #restarts = 0;
  #nextCall = 0;
  /** Whether the current thread has proved itself: its shards stayed ready long enough. */
  readonly #stability: ConnectionStability;
  readonly #stableAfterMs: number;
  #stableTimer: NodeJS.Timeout | undefined;

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
    this.#stableAfterMs = init.behaviour.backoff?.stableAfterMs ?? DEFAULT_STABLE_AFTER_MS;
    this.#stability = new ConnectionStability(this.#stableAfterMs);
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
    return this.#restarts;
  }

  /** Gives the thread a shard to run (the shard is started by its own `start`). */
  public attach(shard: WorkerShard): void {
    this.#shards.set(shard.id, shard);
    if (this.#worker === undefined && this.#respawn === undefined) this.#spawn();
  }

  /** @inheritdoc */
  public post(message: ToWorker): boolean {
    // A shard started again after its thread gave up (restarts exhausted) gets a fresh thread.
    if (message.type === 'start' && this.#worker === undefined && this.#respawn === undefined) {
      this.#restarts = 0;
      this.#spawn();
    }
    if (this.#worker === undefined) return false;
    this.#worker.postMessage(message);
    return true;
  }

  /** @inheritdoc */
  public nextCall(): number {
    return ++this.#nextCall;
  }

  /** @inheritdoc */
  public detach(id: number): void {
    this.#shards.delete(id);
    if (this.#shards.size > 0) return;
    clearTimeout(this.#respawn);
    this.#respawn = undefined;
    this.#restarts = 0;
    this.#unstable();
    const worker = this.#worker;
    this.#worker = undefined;
    this.#withdrawCalls();
    if (worker === undefined) return;
    this.#stopping = worker;
    void worker.terminate();
  }

  /** @inheritdoc */
  public unresponsive(reason: string): void {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#log().error(`worker thread ${this.index} stopped: ${reason}`);
    void worker.terminate(); // not asked by a detach: handled as an exit, shards saved and resumed
  }

  #spawn(): void {
    const worker = new Worker(this.#script.entry, { workerData: this.#init, eval: this.#script.eval });
    this.#worker = worker;
    worker.on('message', (message: FromWorker) => this.#onMessage(worker, message));
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
      this.#log().error(`worker thread ${this.index} failed: ${error.message}`);
    });
    worker.on('exit', (code) => this.#onExit(worker, code, failure));
  }

  #onMessage(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'items': {
        for (const item of message.items) {
          if (item[1] === 'state' && item[2] === 'ready') this.#sawReady();
          try {
            this.#shards.get(item[0])?.receive(item);
          } catch (error) {
            this.#log().error(`a listener of shard ${item[0]} threw: ${String(error)}`);
          }
        }
        if (message.dispatches > 0 && this.#worker === worker) {
          worker.postMessage({ type: 'ack', dispatches: message.dispatches } satisfies ToWorker);
        }
        return;
      }
      case 'call':
        this.#serve(worker, message);
        return;
      case 'cancel':
        this.#calls.get(message.call)?.abort(new Error('withdrawn by the worker thread'));
        this.#calls.delete(message.call);
        return;
      case 'invalidateToken':
        this.#services().tokens.invalidate(message.token);
        return;
      case 'log':
        this.#logger(message.name).log(message.level, message.levelName, ...message.args);
        return;
    }
  }

  #serve(worker: Worker, { call, method, shardId, args }: Extract<FromWorker, { type: 'call' }>): void {
    const services = this.#services();
    const controller = new AbortController();
    this.#calls.set(call, controller);
    const { signal } = controller;
    const work = (): Promise<unknown> => {
      switch (method) {
        case 'identify':
          return services.identifyQueue.wait(shardId, signal);
        case 'sessionGet':
          return services.sessionStore.get(shardId);
        case 'sessionSet':
          return services.sessionStore.set(shardId, args[0] as SessionInfo);
        case 'sessionDelete':
          return services.sessionStore.delete(shardId);
        case 'token':
          return services.tokens.get({ signal });
      }
    };
    const reply = (message: ToWorker): void => {
      this.#calls.delete(call);
      if (this.#worker !== worker || signal.aborted) return;
      try {
        worker.postMessage(message);
      } catch (error) {
        // An answer a structured clone cannot carry (a store returning functions, say) fails the call.
        worker.postMessage({ type: 'reply', call, ok: false, error: toWireError(error) } satisfies ToWorker);
      }
    };
    Promise.resolve()
      .then(work)
      .then(
        (value) => reply({ type: 'reply', call, ok: true, value }),
        (error: unknown) => reply({ type: 'reply', call, ok: false, error: toWireError(error) }),
      );
  }

  #onExit(worker: Worker, code: number, failure: Error | undefined): void {
    if (this.#stopping === worker) {
      this.#stopping = undefined;
      return;
    }
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#withdrawCalls();
    if (this.#stability.ended(Date.now())) this.#restarts = 0;
    this.#unstable();
    const reason = `worker thread ${this.index} exited with code ${code}${failure ? ` (${failure.message})` : ''}`;
    if (this.#restarts >= this.#policy.maxRestarts) {
      const error = new WorkerRestartsExhaustedError(this.index, this.#restarts, this.shardIds, {
        cause: failure ?? new Error(reason),
      });
      this.#log().error(error.message);
      for (const shard of [...this.#shards.values()]) shard.failForGood(error);
      return;
    }
    const delayMs = backoffDelay(this.#restarts, { base: this.#policy.baseMs, max: this.#policy.maxMs });
    this.#restarts += 1;
    this.#log().warn(`${reason}; restarting it in ${delayMs} ms, its shards resume`);
    const saved = this.#saveSessions();
    for (const shard of [...this.#shards.values()]) shard.lost(reason, delayMs);
    if (this.#shards.size === 0) return;
    this.#respawn = setTimeout(() => {
      void waitAtMost(saved, SAVE_DEADLINE_MS).then(() => {
        this.#respawn = undefined;
        if (this.#shards.size === 0) return;
        this.#spawn();
        for (const shard of this.#shards.values()) shard.relaunch();
      });
    }, delayMs);
  }

  /** Writes each shard's session as last seen here, so the next thread resumes from there. */
  async #saveSessions(): Promise<void> {
    const { sessionStore } = this.#services();
    await Promise.all(
      [...this.#shards.values()].map(async (shard) => {
        try {
          if (shard.invalidating) await sessionStore.delete(shard.id);
          else if (shard.session !== undefined) await sessionStore.set(shard.id, shard.session);
        } catch (error) {
          this.#log().error(
            `shard ${shard.id}: could not save its session after the thread exited: ${String(error)}`,
          );
        }
      }),
    );
  }

  /**
   * A shard of the thread is ready: once the thread has kept running for `stableAfterMs` from
   * there, its restarts start over. A thread that exits soon after each resume keeps counting up
   * to `maxRestarts`, instead of being restarted forever.
   */
  #sawReady(): void {
    this.#stability.ready(Date.now());
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      this.#stableTimer = undefined;
      if (this.#stability.provenAt(Date.now())) this.#restarts = 0;
    }, this.#stableAfterMs);
    this.#stableTimer.unref();
  }

  /** The thread is gone: whatever it proved counts no more. */
  #unstable(): void {
    clearTimeout(this.#stableTimer);
    this.#stableTimer = undefined;
    this.#stability.ended(Date.now());
  }

  #withdrawCalls(): void {
    for (const controller of this.#calls.values()) controller.abort(new Error('the worker thread exited'));
    this.#calls.clear();
  }

  #log(): BotLogger {
    return this.#logger('workers');
  }

  /** The manager's logger under `name`, as the thread's shards log under their own. */
  #logger(name: string): BotLogger {
    let logger = this.#loggers.get(name);
    if (logger === undefined) {
      logger = childLogger(this.#services().logger, name);
      this.#loggers.set(name, logger);
    }
    return logger;
  }
}
