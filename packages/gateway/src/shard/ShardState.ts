import type { SessionEnding } from './recovery.js';

/**
 * Where a shard is in its life:
 *
 * ```text
 * idle → connecting → identifying | resuming → ready → reconnecting → connecting → …
 *                                                    ↘ closed (asked by the user) | fatal (cannot continue)
 * ```
 */
export type ShardState =
  'idle' | 'connecting' | 'identifying' | 'resuming' | 'ready' | 'reconnecting' | 'closed' | 'fatal';

/** A snapshot of one shard, as `ShardManager.status()` reports it. */
export interface ShardStatus {
  /** Shard id. */
  id: number;
  /** Shard count the shard runs with. */
  total: number;
  /** Current state. */
  state: ShardState;
  /** Latency of the last acknowledged heartbeat in whole milliseconds. */
  latency: number | undefined;
  /** Last sequence number received, `null` before the first dispatch of a session. */
  seq: number | null;
  /** Current session id. */
  sessionId: string | undefined;
  /** Reconnects since the shard started. */
  reconnects: number;
  /** Attempts since a connection last stayed ready for `backoff.stableAfterMs` (the back-off counter). */
  attempt: number;
  /** Code of the last close frame received, if any. */
  lastCloseCode: number | undefined;
  /** Reading is paused by `Shard.pause` (back-pressure). */
  paused: boolean;
  /**
   * Set while the shard holds its next Identify back for a long pause, from the `reconnecting`
   * state until the pause ends, `restart()` cuts it short or the shard is closed: why it waits,
   * and until when. Absent otherwise, also during the short back-off of an ordinary reconnect,
   * and once the pause is over while reading is still paused (`paused`): the shard then stays
   * `reconnecting` until resumed, waiting for that, not for `until`.
   */
  identifyPause?: IdentifyPause;
}

/**
 * Why a shard holds its next Identify back, and until when (see {@link ShardStatus.identifyPause}).
 * Each Identify spends a session start of the bot's daily budget; `restart()` identifies at once.
 */
export interface IdentifyPause {
  /**
   * `'invalidatedSessions'`: `sessions` sessions in a row were ended by the platform (op 9) soon
   * after they started, with no stable connection between them; the shard identifies once per
   * pause until one lasts (see `invalidatedSessionPauseMs`).
   */
  reason: 'invalidatedSessions';
  /** Sessions in a row ended by op 9, this pause's included. */
  sessions: number;
  /** The whole pause in milliseconds. */
  ms: number;
  /** When the next Identify is allowed, in milliseconds since the epoch (as `Date.now()`). */
  until: number;
}

/** How a connection ended and what the shard does about it, as the `close` event reports it. */
export interface ShardCloseEvent {
  /** Close code, when the connection ended with one. */
  code: number | undefined;
  /** What happened, in words (`closed with 4009 (connection expired)`, `zombie connection`, …). */
  reason: string;
  /** What the shard does next. */
  next: 'resume' | 'identify' | 'fatal' | 'closed';
  /** Milliseconds before the next attempt. */
  delayMs: number;
  /**
   * Set when the socket never opened (refused, DNS, TLS, handshake): the error that stopped it, in
   * words (`connect ECONNREFUSED 127.0.0.1:443`). `code` is then 1006, which alone reads like a
   * lost connection; absent when a connection that had opened ended.
   */
  connectError?: string;
  /**
   * The session the connection served, as the shard held it when the connection ended: its id
   * and the last seq read, the resume point (`null` before the first). With `next: 'identify'`
   * the session ended without a resume, and what the platform sent it after `seq` is not
   * replayed. Absent when the shard had no session (an Identify that got no READY).
   */
  session?: ShardCloseSession;
  /**
   * With `next: 'identify'`: why the session ended without a resume, as the shard decided it
   * (`'tokenRefused'`, `'invalidSession'`, `'refreshedResumeInvalidated'`, …; see
   * `SessionEnding`), with `code` for the close code where one ended it. Read it rather than
   * `reason`, which is for people. Absent on other closes, and from shard handles that do not say.
   */
  ending?: SessionEnding;
}

/** The session a `close` event names: see {@link ShardCloseEvent.session}. */
export interface ShardCloseSession {
  /** Session id from READY. */
  readonly sessionId: string;
  /** The last seq the shard read in it and would resume from, `null` before the first. */
  readonly seq: number | null;
}
