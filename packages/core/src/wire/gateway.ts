/** Result of `GET /gateway`. */
export interface GatewayInfo {
  /** WebSocket URL to connect to. */
  url: string;
}

/** How many sessions the bot may still start. */
export interface SessionStartLimit {
  /** Session starts allowed per period. */
  total: number;
  /** Session starts left in this period. */
  remaining: number;
  /** Milliseconds until `remaining` resets. */
  reset_after: number;
  /** Identifies allowed at once (per 5 s window). */
  max_concurrency: number;
}

/** Result of `GET /gateway/bot`. */
export interface GatewayBotInfo extends GatewayInfo {
  /** Recommended number of shards. */
  shards: number;
  /** Session start budget. */
  session_start_limit: SessionStartLimit;
}

/** Gateway and webhook opcodes (`op`). */
export const Opcode = {
  /** Server → client: an event. */
  Dispatch: 0,
  /** Client → server: keep-alive with the last sequence. */
  Heartbeat: 1,
  /** Client → server: start a session. */
  Identify: 2,
  /** Client → server: continue a session. */
  Resume: 6,
  /** Server → client: reconnect and resume. */
  Reconnect: 7,
  /** Server → client: identify or resume parameters were rejected. */
  InvalidSession: 9,
  /** Server → client, first frame: heartbeat interval. */
  Hello: 10,
  /** Server → client: heartbeat received. */
  HeartbeatAck: 11,
  /** Client → server (webhook): delivery acknowledged. */
  HttpCallbackAck: 12,
  /** Server → client (webhook): callback URL validation. */
  CallbackValidation: 13,
} as const;
/** A value of {@link Opcode}. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** Close codes the gateway sends. */
export const GatewayCloseCode = {
  InvalidOpcode: 4001,
  InvalidPayload: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSession: 4006,
  InvalidSeq: 4007,
  RateLimited: 4008,
  SessionTimedOut: 4009,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
  /** First of the internal server error range 4900–4913. */
  InternalErrorFirst: 4900,
  /** Field-observed: "reset by resume". */
  ResetByResume: 4902,
  /** Field-observed: "create session error". */
  CreateSessionError: 4903,
  /** Last of the internal server error range 4900–4913. */
  InternalErrorLast: 4913,
  /** The bot was delisted (sandbox). */
  BotDelisted: 4914,
  /** The bot was banned. */
  BotBanned: 4915,
} as const;
/** A value of {@link GatewayCloseCode}. */
export type GatewayCloseCode = (typeof GatewayCloseCode)[keyof typeof GatewayCloseCode];

/**
 * The envelope of every gateway frame and webhook delivery. Typed as a frame arrives, before its
 * opcode is known to be one of {@link Opcode}: a server may send opcodes newer than this library,
 * and frames such as Heartbeat ACK come without `d`.
 */
export interface GatewayPayload<D = unknown> {
  /** Event id (dispatches only); usable as `event_id` when replying to non-message events. */
  id?: string;
  /** Opcode; one of {@link Opcode} on this platform. */
  op: number;
  /** Opcode-specific data. */
  d?: D;
  /** Sequence number (dispatches only). */
  s?: number;
  /** Event name, UPPER_SNAKE (dispatches only). */
  t?: string;
}

/** `d` of Hello (op 10). */
export interface HelloData {
  /** Milliseconds between heartbeats. */
  heartbeat_interval: number;
}

/** `d` of Identify (op 2). */
export interface IdentifyData {
  /** `QQBot {access_token}`. */
  token: string;
  /** Intent bits. */
  intents: number;
  /** `[shard_id, shard_count]`; `[0, 1]` when unsharded. */
  shard: [number, number];
  /** Client properties (ignored by the platform). */
  properties?: Record<string, string>;
}

/** `d` of Resume (op 6). */
export interface ResumeData {
  /** `QQBot {access_token}`. */
  token: string;
  /** Session to resume. */
  session_id: string;
  /** Last sequence number received. */
  seq: number;
}

/** `d` of the `READY` dispatch. */
export interface ReadyData {
  /** Protocol version, when sent. */
  version?: number;
  /** Session id, needed to resume. */
  session_id: string;
  /** The bot's user. */
  user: ReadyUser;
  /** `[shard_id, shard_count]`, when sent: what it holds is unverified (docs/protocol.md §3.4). */
  shard?: [number, number];
}

/**
 * `user` of {@link ReadyData}. The platform documents READY by one example and no field list
 * (docs/protocol.md §3.4): only the id is taken as always there.
 */
export interface ReadyUser {
  /** The bot's user id. */
  id: string;
  /** The bot's name, when sent. */
  username?: string;
  /** `true` for a bot, when sent. */
  bot?: boolean;
  /** Undocumented: passed on as received, unchecked. */
  status?: unknown;
}

/** `d` of a webhook callback URL validation request (op 13). */
export interface CallbackValidationData {
  /** Token to echo back. */
  plain_token: string;
  /** Unix seconds; signed together with `plain_token`. */
  event_ts: string;
}

/** Answer to a webhook callback URL validation request. */
export interface CallbackValidationAnswer {
  /** The request's `plain_token`, unchanged. */
  plain_token: string;
  /** Hex Ed25519 signature of `event_ts + plain_token`. */
  signature: string;
}

/** Acknowledgement of a webhook delivery (op 12); `d: 1` asks the platform to deliver again. */
export interface CallbackAck {
  /** Always {@link Opcode.HttpCallbackAck}. */
  op: typeof Opcode.HttpCallbackAck;
  /** 0: received; 1: deliver again. */
  d: 0 | 1;
}
