import { type BotLogger } from '@bot/core';
import { Logger, type ILogObj } from 'tslog';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import type { TokenSource } from '../shard/TokenSource.js';
import type { DurableSeq, FromWorker } from './messages.js';
import type { RemoteCalls } from './RemoteCalls.js';

/**
 * The manager's identify queue, asked over the message port: one pacing authority for every
 * thread. The send of each Identify frame is told back, since the window counts from it.
 */
export function remoteIdentifyQueue(calls: RemoteCalls, post: (message: FromWorker) => void): IdentifyQueue {
  return {
    wait: (shardId, signal) => calls.call<void>('identify', shardId, [], signal),
    identifySent: (shardId) => post({ type: 'identifySent', shardId }),
  };
}

/**
 * How far the main thread's store holds each shard's session durably, as it last told this thread
 * (`SessionStore.durableSeq` of a Redis store, say): the store's answer, kept here since a shard
 * asks synchronously, at every heartbeat.
 */
export class DurableSeqs {
  readonly #seqs = new Map<number, { sessionId: string; seq: number }>();

  /** The main thread told how far sessions are durable. */
  public update(seqs: readonly DurableSeq[]): void {
    for (const [id, sessionId, seq] of seqs) this.#seqs.set(id, { sessionId, seq });
  }

  /** How far `sessionId` of shard `id` is durable, if the main thread told. */
  public of(id: number, sessionId: string): number | undefined {
    const durable = this.#seqs.get(id);
    return durable?.sessionId === sessionId ? durable.seq : undefined;
  }
}

/**
 * How far a shard's heartbeats and resumes may acknowledge its session `sessionId` (the store's
 * `durableSeq`); `undefined` while nothing may be.
 */
export type AcknowledgeableSeq = (shardId: number, sessionId: string) => number | undefined;

/**
 * The lowest seq that every one of `caps` allows (`undefined` while one allows nothing), or
 * `undefined` without caps: the shards then acknowledge the last seq read.
 *
 * @param caps - how far each authority lets a session be acknowledged
 */
export function lowestOf(caps: readonly AcknowledgeableSeq[]): AcknowledgeableSeq | undefined {
  if (caps.length === 0) return undefined;
  return (shardId, sessionId) => {
    let lowest = Infinity;
    for (const cap of caps) {
      const seq = cap(shardId, sessionId);
      if (seq === undefined) return undefined;
      lowest = Math.min(lowest, seq);
    }
    return lowest;
  };
}

/** The store method each session call of a thread comes down to, as messages name it. */
const STORE_OPERATION = { sessionGet: 'get', sessionSet: 'set', sessionDelete: 'delete' } as const;

/**
 * The manager's session store, read and written over the message port. Each call is withdrawn
 * after `callMs` (the shard has given up on it by then), so a main thread that never answers
 * leaves nothing pending here; it then fails with a `GatewayError` (named `TimeoutError`) naming
 * the call and its deadline. `acknowledgeable` is given when heartbeats and resumes must not acknowledge every seq
 * read (its `durableSeq`).
 */
export function remoteSessionStore(
  calls: RemoteCalls,
  callMs: number,
  acknowledgeable?: AcknowledgeableSeq,
): SessionStore {
  const bounded = <T>(method: keyof typeof STORE_OPERATION, shardId: number, args: unknown[]): Promise<T> => {
    const deadline = AbortSignal.timeout(callMs);
    return calls.call<T>(method, shardId, args, deadline).catch((error: unknown) => {
      if (!deadline.aborted || error !== deadline.reason) throw error;
      const late = new GatewayError(
        `the session store did not answer ${STORE_OPERATION[method]} within ${callMs} ms on the main thread: ` +
          'the worker thread gave up on it (check the store and its connection)',
        shardId,
      );
      // Named as the bare abort it replaces was: code that tells timeouts apart by name still does.
      late.name = 'TimeoutError';
      throw late;
    });
  };
  const store: SessionStore = {
    get: (shardId) => bounded<SessionInfo | undefined>('sessionGet', shardId, []),
    set: (shardId, session) => bounded<void>('sessionSet', shardId, [session]),
    delete: (shardId) => bounded<void>('sessionDelete', shardId, []),
  };
  if (acknowledgeable !== undefined) store.durableSeq = acknowledgeable;
  return store;
}

/** The manager's access tokens, asked over the message port. */
export function remoteTokens(calls: RemoteCalls, post: (message: FromWorker) => void): TokenSource {
  return {
    get: (options = {}) => calls.call<string>('token', -1, [], options.signal),
    invalidate: (token) => post({ type: 'invalidateToken', token }),
  };
}

/** A value a structured clone carries: kept as is when it can be cloned, its text otherwise. */
function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

/**
 * Log lines posted to the main thread and not yet taken there: at `max`, further lines are
 * dropped and counted (the next line that crosses says how many), so a main thread that is
 * blocked does not collect an unbounded queue of them.
 */
export class LogAllowance {
  readonly #max: number;
  #unacked = 0;
  #dropped = 0;

  /** @param max - lines in flight at most */
  public constructor(max: number) {
    this.#max = max;
  }

  /** Takes room for one line: the count dropped before it, or `false` when it must be dropped. */
  public take(): number | false {
    if (this.#unacked >= this.#max) {
      this.#dropped += 1;
      return false;
    }
    this.#unacked += 1;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }

  /** The lines dropped since the last that crossed (told at the thread's end), counted from 0 again. */
  public takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }

  /** The main thread took `lines` more. */
  public acknowledged(lines: number): void {
    this.#unacked = Math.max(0, this.#unacked - lines);
  }
}

/**
 * A logger that prints nothing here and hands each line at or above `minLevel` to the main
 * thread, which logs it under the manager's logger (and masks secrets there, as everywhere).
 */
export function forwardingLogger(
  post: (message: FromWorker) => void,
  minLevel: number,
  allowance: LogAllowance,
): BotLogger {
  const logger = new Logger<ILogObj>({
    type: 'hidden',
    minLevel,
    overwrite: { toLogObj: (args, logObj) => ({ ...logObj, args }) },
  });
  logger.attachTransport((logObj) => {
    const dropped = allowance.take();
    if (dropped === false) return;
    const meta = (logObj as { _meta?: { logLevelId?: number; logLevelName?: string; name?: string } })._meta;
    const args = (logObj as { args?: unknown[] }).args ?? [];
    post({
      type: 'log',
      level: meta?.logLevelId ?? 3,
      levelName: meta?.logLevelName ?? 'INFO',
      name: meta?.name ?? 'worker',
      args: args.map(cloneable),
      ...(dropped > 0 ? { dropped } : {}),
    });
  });
  return logger;
}
