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
}
