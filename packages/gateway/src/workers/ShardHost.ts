import { Intents } from '@bot/core';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import { Shard } from '../shard/Shard.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';
import { Outbox } from './Outbox.js';
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

/**
 * The shards of one worker thread: runs what the main thread asks (start, restart, pause,
 * resume, close, send) and reports every shard event back through the {@link Outbox}. Sockets,
 * heartbeats, parsing and resumes happen here; identify turns, sessions and tokens are the main
 * thread's, asked through {@link RemoteCalls}.
 */
export class ShardHost {
  readonly #init: WorkerInit;
  readonly #post: (message: FromWorker) => void;
  readonly #calls: RemoteCalls;
  readonly #outbox: Outbox;
  readonly #shards = new Map<number, Shard>();
  /** Shards the main thread paused (back-pressure of its handlers). */
  readonly #paused = new Set<number>();
  readonly #durable = new DurableSeqs();
  readonly #logs = new LogAllowance(MAX_LOG_LINES_IN_FLIGHT);

  /**
   * @param init - what the thread was started with
   * @param post - sends a message to the main thread
   */
  public constructor(init: WorkerInit, post: (message: FromWorker) => void) {
    this.#init = init;
    this.#post = post;
    this.#calls = new RemoteCalls(post);
    this.#outbox = new Outbox(post, init.maxBatch, init.maxUnacked, (held) => this.#hold(held));
  }

  /** Carries out one message of the main thread. */
  public handle(message: ToWorker): void {
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
        if (!this.#outbox.held) this.#shards.get(message.id)?.resume();
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
      logger: forwardingLogger(this.#post, this.#init.logLevel, this.#logs),
    });
    this.#shards.set(id, shard);
    const out = this.#outbox;
    shard.on('dispatch', (payload) => out.push([id, 'dispatch', payload]));
    shard.on('state', (state, previous) => out.push([id, 'state', state, previous, shard.status()]));
    shard.on('heartbeat', (latency) => out.push([id, 'heartbeat', latency]));
    shard.on('close', (event) => out.push([id, 'close', event]));
    shard.on('debug', (text) => out.push([id, 'debug', text]));
    shard.on('error', (error) => out.push([id, 'error', toWireError(error)]));
    if (paused) this.#paused.add(id);
    if (paused || this.#outbox.held) shard.pause();
    // The outcome reaches the main thread as state items.
    shard.start().catch(() => undefined);
  }

  #close(id: number, invalidateSession: boolean, graceMs: number | undefined): void {
    const shard = this.#shards.get(id);
    const closing = shard?.close({ invalidateSession, ...(graceMs === undefined ? {} : { graceMs }) });
    void (closing ?? Promise.resolve(undefined)).then(
      (session) => this.#closed(id, session),
      () => this.#closed(id, undefined),
    );
  }

  #closed(id: number, session: SessionInfo | undefined): void {
    const shard = this.#shards.get(id);
    shard?.removeAllListeners();
    this.#shards.delete(id);
    this.#paused.delete(id);
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

  /** Stops or restarts reading every shard while the main thread catches up. */
  #hold(held: boolean): void {
    for (const [id, shard] of this.#shards) {
      // A shard resumed first replays the frames it held back, which may fill the outbox again:
      // then the others stay paused, or the bound on unacknowledged dispatches would not hold.
      if (!held && this.#outbox.held) return;
      if (held) shard.pause();
      else if (!this.#paused.has(id)) shard.resume();
    }
  }
}
