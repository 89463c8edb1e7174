import type { Worker } from 'node:worker_threads';
import type { BotLogger } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import type { TokenSource } from '../shard/TokenSource.js';
import type { FromWorker, ToWorker } from './messages.js';
import { toWireError } from './wireError.js';

/** What the main thread serves to worker shards: the manager's one queue, store, tokens and logger. */
export interface WorkerServices {
  identifyQueue: IdentifyQueue;
  sessionStore: SessionStore;
  tokens: TokenSource;
  logger: BotLogger;
}

/** What the calls of one thread need to know of its shards on the main thread. */
export interface ServedShards {
  /**
   * The session a worker shard asks to store, with its sequence number capped at what reached
   * this thread: the store must never hold a resume point past the events the handlers were given.
   */
  deliverable(shardId: number, session: SessionInfo): SessionInfo;
  /** A store call of the shard completed: how far its session is durable may have moved. */
  stored(shardId: number): void;
  /** The store answered the shard's read with `stored` (its session, or none), given to the thread. */
  loaded?(shardId: number, stored: unknown): void;
}

type Call = Extract<FromWorker, { type: 'call' }>;

/**
 * A call being served: how to abort its work, what it was (to answer it if withdrawn), and whether
 * its answer may still be posted.
 */
interface Served {
  controller: AbortController;
  method: Call['method'];
  shardId: number;
  current: () => boolean;
}

/** What {@link ServedCalls.withdraw} leaves running of a thread asked to stop. */
export interface KeptTokenCalls {
  /**
   * Whether the thread is still stopping: its token calls go on and are answered while this
   * holds, as `StoppingThread` serves the token calls it makes from then on.
   */
  tokensWhile: () => boolean;
}

/**
 * The main thread's side of the calls of one `ShardWorker`'s threads (identify turns, session
 * store, access tokens): each runs against the manager's services and is answered with a `reply`;
 * a call the thread withdraws itself is aborted and not answered; every call of a thread that
 * exits or stops is aborted and refused with a reply, so none of a thread still running (its
 * handler's `close()`, say) waits for an answer that never comes. Calls are kept per thread, as
 * each numbers its own: a thread still stopping and the one started after it may both have a call 1.
 */
export class ServedCalls {
  readonly #services: () => WorkerServices;
  readonly #shards: ServedShards;
  readonly #calls = new Map<Worker, Map<number, Served>>();

  /**
   * @param services - the manager's queue, store, tokens and logger
   * @param shards - the thread's shards as the main thread knows them
   */
  public constructor(services: () => WorkerServices, shards: ServedShards) {
    this.#services = services;
    this.#shards = shards;
  }

  /**
   * Runs one call of `worker` and answers it, unless the thread is gone by then.
   *
   * @param worker - the thread calling
   * @param current - whether that thread still runs the shards
   * @param message - the call (checked)
   */
  public serve(worker: Worker, current: () => boolean, { call, method, shardId, args }: Call): void {
    const services = this.#services();
    const controller = new AbortController();
    const served: Served = { controller, method, shardId, current };
    let calls = this.#calls.get(worker);
    if (calls === undefined) this.#calls.set(worker, (calls = new Map()));
    calls.set(call, served);
    const { signal } = controller;
    const store = services.sessionStore;
    const work = async (): Promise<unknown> => {
      switch (method) {
        case 'identify':
          return services.identifyQueue.wait(shardId, signal);
        case 'sessionGet':
          return store
            .get(shardId)
            .then((stored) => {
              this.#shards.loaded?.(shardId, stored);
              return stored;
            })
            .finally(() => this.#shards.stored(shardId));
        case 'sessionSet': {
          const session = this.#shards.deliverable(shardId, args[0] as SessionInfo);
          return store.set(shardId, session).finally(() => this.#shards.stored(shardId));
        }
        case 'sessionDelete':
          return store.delete(shardId);
        case 'token':
          return services.tokens.get({ signal });
      }
    };
    const reply = (message: ToWorker): void => {
      if (calls.get(call) === served) calls.delete(call);
      if (calls.size === 0 && this.#calls.get(worker) === calls) this.#calls.delete(worker);
      if (!served.current() || signal.aborted) return;
      try {
        worker.postMessage(message);
      } catch (error) {
        // An answer a structured clone cannot carry (a store returning functions, say) fails the call.
        worker.postMessage({ type: 'reply', call, ok: false, error: toWireError(error) } satisfies ToWorker);
      }
    };
    work().then(
      (value) => reply({ type: 'reply', call, ok: true, value }),
      (error: unknown) => reply({ type: 'reply', call, ok: false, error: toWireError(error) }),
    );
  }

  /**
   * Answers a call of `worker` with a refusal instead of serving it.
   *
   * @param worker - the thread calling
   * @param message - the call (checked)
   * @param why - why it is not served, and what to do
   */
  public refuse(worker: Worker, { call, method, shardId }: Call, why: string): void {
    const error = new GatewayError(`the ${method} call ${why}`, shardId < 0 ? undefined : shardId);
    worker.postMessage({ type: 'reply', call, ok: false, error: toWireError(error) } satisfies ToWorker);
  }

  /** A thread found the access token refused (a 401): the next token call gets a new one. */
  public invalidateToken(token: string): void {
    this.#services().tokens.invalidate(token);
  }

  /** Thread `worker` withdrew its call `call`. */
  public cancel(worker: Worker, call: number): void {
    this.#calls.get(worker)?.get(call)?.controller.abort(new Error('withdrawn by the worker thread'));
    this.#calls.get(worker)?.delete(call);
  }

  /**
   * Thread `worker` is gone or stopping: every call of it is aborted and refused, so a thread
   * that still runs (its handler closing) gets an error rather than waiting out its deadline.
   * A thread asked to stop keeps its token calls when `kept` is given: one in flight then is
   * answered as one made a moment later would be (the handler's `close()` may still need a token
   * for its last REST calls).
   *
   * @param worker - the thread
   * @param kept - for a thread asked to stop: how long its token calls are still answered
   */
  public withdraw(worker: Worker, kept?: KeptTokenCalls): void {
    const calls = this.#calls.get(worker);
    this.#calls.delete(worker);
    if (calls === undefined) return;
    for (const [call, served] of [...calls]) {
      const { controller, method, shardId } = served;
      if (kept !== undefined && method === 'token') {
        served.current = kept.tokensWhile;
        continue;
      }
      calls.delete(call);
      controller.abort(new Error('the worker thread exited'));
      const why =
        'was withdrawn: the worker thread exited or is stopping, as its shards closed; ' +
        'a handler closing should not need the gateway any more';
      this.refuse(worker, { type: 'call', call, method, shardId, args: [] }, why); // a gone thread's post is dropped
    }
    // The token calls kept are still the thread's: its cancel withdraws one, its exit all of them.
    if (calls.size > 0) this.#calls.set(worker, calls);
  }
}
