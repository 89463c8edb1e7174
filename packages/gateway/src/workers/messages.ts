import type { ShardCloseEvent, ShardState, ShardStatus } from '../shard/ShardState.js';
import type { DispatchPayload, GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { HandledSeqCell } from './HandledSeqCell.js';
import type { WireError } from './wireError.js';
import type { WorkerShardBehaviour } from './workerBehaviour.js';

/** What a shard worker thread starts with, as `workerData`. */
export interface WorkerInit {
  /** The shard options every shard of the thread shares (plain data only). */
  behaviour: WorkerShardBehaviour;
  /** Intent bits. */
  intents: number;
  /** tslog level below which the thread forwards no log line. */
  logLevel: number;
  /** Most events in one message to the main thread. */
  maxBatch: number;
  /** Dispatches posted and not yet acknowledged at which the thread stops reading its sockets. */
  maxUnacked: number;
  /** Whether the manager's session store tells how far a session is stored durably (`durableSeq`). */
  durableSeq: boolean;
  /** How long a session store call may go unanswered before the thread withdraws it. */
  storeCallMs: number;
  /**
   * The handler module that takes the thread's dispatches on the thread (`workerThreads({ handler })`),
   * with its `handlerData`; without it, dispatches cross to the main thread.
   */
  handler?: { module: string; data: unknown };
  /** How long a handling on the thread may go unsettled before it counts as done (`Infinity`: no limit). */
  handlerTimeoutMs: number;
}

/** What one thread starts with: the strategy's {@link WorkerInit} and the thread's index. */
export interface ThreadInit extends WorkerInit {
  /** Index of the thread in its strategy. */
  thread: number;
}

/** How far a session is stored durably, as the main thread's store tells: `[shard, session id, seq]`. */
export type DurableSeq = [id: number, sessionId: string, seq: number];

/** The main thread's remote calls a worker shard makes. */
export type RemoteMethod = 'identify' | 'sessionGet' | 'sessionSet' | 'sessionDelete' | 'token';

/** Main thread → worker thread. */
export type ToWorker =
  | {
      type: 'start';
      id: number;
      total: number;
      gatewayUrl: string;
      paused: boolean;
      /**
       * The bot's daily session start budget the manager was told (`session_start_limit.total`),
       * which sets the shard's op 9 pause (the shard option `sessionStartTotal`); the shard's
       * default when absent.
       */
      sessionStartTotal?: number;
      /**
       * Sessions in a row that op 9 ended soon after they started, as the shard's earlier threads
       * counted them (see `CarriedInvalidations`): the shard's count goes on from there, so a thread
       * restart does not buy it more quick identifies. None when absent.
       */
      invalidatedSessions?: number;
      /**
       * With a handler module: the memory of the shard's {@link HandledSeqCell}, where the thread
       * writes how far it handled the shard's session.
       */
      handled?: SharedArrayBuffer;
      /**
       * Without one: the memory of the shard's {@link HandledSeqCell}, where the main thread writes
       * how far its listeners took the shard's dispatches, which the thread acknowledges no further.
       */
      taken?: SharedArrayBuffer;
    }
  | { type: 'restart' | 'pause' | 'resume'; id: number }
  | { type: 'close'; id: number; invalidateSession: boolean; graceMs: number | undefined }
  /**
   * A close that invalidates the session came while the shard's close without it is under way:
   * that close ends the session instead (see `Shard.close`), within `graceMs` if given. Ignored
   * for a shard not closing here; the main thread forgets in its store whatever session the
   * close reports left behind.
   */
  | { type: 'invalidate'; id: number; graceMs: number | undefined }
  | { type: 'send'; id: number; call: number; payload: GatewayPayload }
  | { type: 'reply'; call: number; ok: true; value: unknown }
  | { type: 'reply'; call: number; ok: false; error: WireError }
  | { type: 'ack'; dispatches: number; logs: number }
  | { type: 'durable'; seqs: DurableSeq[] }
  /** The thread's last shard is closed: the handler may finish (`close()`), then the thread says `stopped`. */
  | { type: 'stop' }
  /** Is the thread alive? It answers `pong` (see `ThreadWatchdog`). */
  | { type: 'ping' };

/**
 * One thing that happened to a worker shard, in the order it happened. The results of `close` and
 * `send` travel in the same stream, so every event before them reaches the main thread first.
 */
export type ShardItem =
  /**
   * A dispatch as the shard delivered it. `seqTaken` is `false` when the shard did not move its
   * resume point to the dispatch's seq (far ahead, or not a seq at all): the main thread's must
   * not move there either, or the next thread would resume from it and drop every later event.
   */
  | [id: number, kind: 'dispatch', payload: DispatchPayload, seqTaken?: false]
  /** Every event of the shard up to `seq` was handled on the thread (a handler module's). */
  | [id: number, kind: 'handled', seq: number]
  | [id: number, kind: 'state', state: ShardState, previous: ShardState, status: ShardStatus]
  | [id: number, kind: 'heartbeat', latency: number]
  | [id: number, kind: 'close', event: ShardCloseEvent]
  | [id: number, kind: 'debug', message: string]
  | [id: number, kind: 'error', error: WireError]
  /**
   * Sessions in a row op 9 ended soon after they started, earlier threads' included, as it changed
   * (see `CarriedInvalidations`): the next thread's shard counts on from it.
   */
  | [id: number, kind: 'invalidated', sessions: number]
  | [id: number, kind: 'closed', session: SessionInfo | undefined]
  | [id: number, kind: 'sent', call: number, error: WireError | undefined];

/** Worker thread → main thread. */
export type FromWorker =
  | { type: 'items'; items: ShardItem[]; dispatches: number }
  | { type: 'call'; call: number; method: RemoteMethod; shardId: number; args: unknown[] }
  | { type: 'cancel'; call: number }
  | { type: 'invalidateToken'; token: string }
  | { type: 'identifySent'; shardId: number }
  /**
   * A failure the thread's client (`defineThreadClient`) reported while it has no `error()` of its
   * own, as a `ThreadClientError`; `shardId` names the shard whose event it concerns, if any.
   */
  | { type: 'clientError'; shardId?: number; error: WireError }
  /** The thread's handler module failed to load or set up: its shards cannot run. */
  | { type: 'handlerFailed'; error: WireError }
  /**
   * The handler finished after `stop` (or ran out of time): the thread may be ended. `droppedLogs`
   * counts the log lines dropped since the last that crossed, which no later line will tell.
   */
  | { type: 'stopped'; droppedLogs?: number }
  /** The answer to `ping`: the thread's event loop runs. */
  | { type: 'pong' }
  /** A log line; `dropped` counts the lines dropped before it while the main thread was behind. */
  | { type: 'log'; level: number; levelName: string; name: string; args: unknown[]; dropped?: number };
