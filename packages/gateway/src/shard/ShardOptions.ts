import {
  type BotLogger,
  Intents,
  optionalInteger,
  requireDuration,
  requireInteger,
  ValidationError,
} from '@bot/core';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { CloseAction, DispatchPayload, GatewayProtocol, Presence } from '../protocol/GatewayProtocol.js';
import type { SessionStore } from '../session/SessionStore.js';
import type { ReconnectBackoffOptions } from './Backoff.js';
import type { SendLimitOptions } from './SendLimiter.js';
import type { TokenSource } from './TokenSource.js';

/** Timeouts of a shard, in milliseconds. */
export interface ShardTimeouts {
  /** WebSocket handshake (15 s by default). */
  handshakeMs?: number | undefined;
  /** From the socket opening to Hello (20 s by default). */
  helloMs?: number | undefined;
  /**
   * How long a closing handshake may take before the socket is cut (5 s by default); also the
   * default grace of `Shard.close`, which bounds its final store write and, for a close that
   * invalidates the session after a restart, the Resume's round trip to RESUMED on the connection
   * that ends the session on the platform.
   */
  closeGraceMs?: number | undefined;
  /**
   * How long the shard waits for one call of its session store (reading the stored session at
   * start, forgetting an invalidated session) before it goes on without the answer: it then
   * identifies, or carries on, and reports a `GatewayError` naming the call (5 s by default).
   * Writes at close are bounded by the close's own grace period instead. Also the deadline of the
   * background writes (at READY, seq flushes): one that outlasts it is reported as a
   * `SessionWriteTimeoutError`.
   */
  sessionStoreMs?: number | undefined;
  /**
   * How long the shard waits, once its Identify or Resume went out, for the platform's first
   * answer: any dispatch (READY, RESUMED or a replayed event), op 9, op 7 or a close (15 s by
   * default). Time with reading paused does not count. Past it the shard reports a `GatewayError`
   * and reconnects: it resumes once more after an unanswered Resume (then identifies), and
   * identifies again after an unanswered Identify, at the pace of the back-off.
   */
  sessionAnswerMs?: number | undefined;
}

/** Default of {@link ShardTimeouts.closeGraceMs}. */
export const DEFAULT_CLOSE_GRACE_MS = 5_000;
/** Default of {@link ShardTimeouts.sessionStoreMs}. */
export const DEFAULT_SESSION_STORE_MS = 5_000;
/** Default of {@link ShardTimeouts.sessionAnswerMs}. */
export const DEFAULT_SESSION_ANSWER_MS = 15_000;

/** Behaviour shared by all shards of a manager: everything except identity and wiring. */
export interface ShardBehaviour {
  /** Wire format; the QQ protocol by default. */
  protocol?: GatewayProtocol | undefined;
  /** Close-code policy overrides, merged over the protocol's table: `{ 4009: 'identify' }`. */
  closeCodes?: Readonly<Record<number, CloseAction>> | undefined;
  /** Presence from the client; sent only where the protocol supports it. */
  presence?: Presence | undefined;
  /** Timeouts. */
  timeouts?: ShardTimeouts | undefined;
  /** Reconnect back-off. */
  backoff?: ReconnectBackoffOptions | undefined;
  /**
   * Outbound frame budget per connection (60 per minute, 5 reserved for heartbeats, at most 1,000
   * ordinary frames queued, by default). It also sets the shortest heartbeat interval accepted
   * from Hello: `2 × windowMs / limit` (2 s by default), so beats never take over half of it.
   */
  sendLimit?: SendLimitOptions | undefined;
  /** Largest accepted frame in bytes (4 MiB by default). */
  maxPayload?: number | undefined;
  /** Longest time a new sequence number waits before it is written to the session store (5 s by default). */
  seqFlushDelayMs?: number | undefined;
  /** Authentication failures (close 4004) in a row after which the shard gives up (2 by default). */
  maxAuthFailures?: number | undefined;
  /**
   * Names an intent bit (`1 << 30` → `'PUBLIC_GUILD_MESSAGES'`) in error messages. By default
   * `Intents.nameOf` when `intents` is an `Intents` set; bits given as a number are then named by
   * position only.
   */
  intentName?: ((bit: number) => string | undefined) | undefined;
  /** Logger; the shard logs under a sub-logger named `shard:<id>`. */
  logger?: BotLogger | undefined;
}

/** Everything a {@link Shard} needs. */
export interface ShardOptions extends ShardBehaviour {
  /** Shard id, `0 ≤ id < total`. */
  id: number;
  /** Shard count. */
  total: number;
  /** The events to subscribe to: an `Intents` set (`Intents.of('GUILDS', …)`), or its bits. */
  intents: Intents | number;
  /** Gateway URL from `/gateway/bot`. */
  gatewayUrl: string;
  /** Access tokens for Identify and Resume. */
  tokens: TokenSource;
  /** Paces identifies; shared by all shards of the bot. */
  identifyQueue: IdentifyQueue;
  /** Where the session is kept between connections and processes; in memory by default. */
  sessionStore?: SessionStore | undefined;
  /**
   * The bot's daily session start budget, `session_start_limit.total` of `/gateway/bot` (1,000 by
   * default). It sets the pause between identifies once the platform keeps ending this bot's
   * sessions (op 9) soon after they start, so that all `total` shards spend at most half of it a
   * day on them (see `invalidatedSessionPauseMs`). A `ShardManager` passes the total it was
   * answered; give it to a shard started alone.
   *
   * @example
   * ```ts
   * const info = await gatewayInfo.gatewayBot(); // a GatewayInfoSource
   * new Shard({ ...options, sessionStartTotal: info.session_start_limit.total });
   * ```
   */
  sessionStartTotal?: number | undefined;
  /**
   * Receives every dispatch, called by the shard directly, before its `dispatch` listeners (which
   * are only emitted to when there are any): a `ShardManager`'s path to its client, one call
   * per event with no emitter in between. One that throws, or returns a promise that rejects, is
   * reported on `error`; nothing waits for it.
   */
  onDispatch?: ((payload: DispatchPayload) => void) | undefined;
}

/** The bits of intents given as a set or as a number. */
export function intentBits(intents: Intents | number): number {
  return typeof intents === 'number' ? intents : intents.bits;
}

/** What names the intent bits in errors: the caller's namer, else the `Intents` table for a set. */
export function intentNamer(
  options: ShardBehaviour & Pick<ShardOptions, 'intents'>,
): IntentNamer | undefined {
  return options.intentName ?? (typeof options.intents === 'number' ? undefined : Intents.nameOf);
}

/** Names one intent bit, or `undefined` when it has no name. */
export type IntentNamer = (bit: number) => string | undefined;

function requirePositive(field: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0 && value < Number.POSITIVE_INFINITY)) {
    throw new ValidationError(field, `must be a positive number (got ${value})`);
  }
}

/** A duration some timer waits for: Node fires one longer than `MAX_TIMER_DELAY` after 1 ms. */
function optionalDuration(field: string, value: number | undefined): void {
  if (value !== undefined) requireDuration(value, field);
}

/**
 * Checks the numbers of shard options, throwing a {@link ValidationError} naming the first wrong one.
 *
 * @param options - options as given
 */
export function validateShardOptions(options: ShardOptions): void {
  requireInteger(options.total, 'total', 1);
  requireInteger(options.id, 'id', 0, options.total - 1);
  requireInteger(intentBits(options.intents), 'intents', 0);
  requireInteger(options.maxAuthFailures ?? 2, 'maxAuthFailures', 1);
  optionalInteger(options.sessionStartTotal, 'sessionStartTotal', 1);
  optionalDuration('timeouts.handshakeMs', options.timeouts?.handshakeMs);
  optionalDuration('timeouts.helloMs', options.timeouts?.helloMs);
  optionalDuration('timeouts.closeGraceMs', options.timeouts?.closeGraceMs);
  optionalDuration('timeouts.sessionStoreMs', options.timeouts?.sessionStoreMs);
  optionalDuration('timeouts.sessionAnswerMs', options.timeouts?.sessionAnswerMs);
  optionalDuration('seqFlushDelayMs', options.seqFlushDelayMs);
  requirePositive('maxPayload', options.maxPayload);
  optionalDuration('backoff.baseMs', options.backoff?.baseMs);
  optionalDuration('backoff.maxMs', options.backoff?.maxMs);
  optionalDuration('backoff.stableAfterMs', options.backoff?.stableAfterMs);
  optionalDuration('sendLimit.windowMs', options.sendLimit?.windowMs);
  const { limit, reserved, maxQueued } = options.sendLimit ?? {};
  optionalInteger(limit, 'sendLimit.limit', 1);
  optionalInteger(maxQueued, 'sendLimit.maxQueued', 1);
  optionalInteger(reserved, 'sendLimit.reserved', 0, (limit ?? 60) - 1);
}
