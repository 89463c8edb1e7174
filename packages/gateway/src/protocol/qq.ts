/**
 * Every wire shape of the QQ Bot Open Platform's gateway and webhook transports: opcodes, Hello,
 * Ready, Identify and Resume frames, the `/gateway/bot` answer, webhook validation frames and the
 * close-code table with this project's default policy.
 */
import { ValidationError } from '@bot/http';
import type {
  CloseCodeRule,
  CloseCodeTable,
  GatewayPayload,
  GatewayProtocol,
  IdentifyParams,
  ResumeParams,
} from './GatewayProtocol.js';

/** QQ gateway and webhook opcodes. */
export const QQOpcode = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  HttpCallbackAck: 12,
  CallbackValidation: 13,
} as const;

/** One of the {@link QQOpcode} values. */
export type QQOpcode = (typeof QQOpcode)[keyof typeof QQOpcode];

/** `d` of Hello (op 10). */
export interface HelloData {
  /** Heartbeat period in milliseconds. */
  heartbeat_interval: number;
}

/** `d` of the READY dispatch. */
export interface ReadyData {
  version: number;
  session_id: string;
  user: { id: string; username: string; bot: boolean };
  shard: [number, number];
}

/** `d` of Identify (op 2). */
export interface IdentifyData {
  /** `QQBot {access_token}`. */
  token: string;
  intents: number;
  shard: [number, number];
  /** Client description; the platform ignores it. */
  properties: Record<string, string>;
}

/** `d` of Resume (op 6). */
export interface ResumeData {
  /** `QQBot {access_token}`. */
  token: string;
  session_id: string;
  seq: number;
}

/** `session_start_limit` of `GET /gateway/bot`. */
export interface SessionStartLimit {
  /** Session starts allowed per period. */
  total: number;
  /** Session starts left in the current period. */
  remaining: number;
  /** Milliseconds until `remaining` is reset to `total`. */
  reset_after: number;
  /** Identifies allowed per 5 s window (one per bucket `shard_id % max_concurrency`). */
  max_concurrency: number;
}

/** Answer of `GET /gateway/bot`. */
export interface GatewayBotInfo {
  /** WebSocket URL to connect to. */
  url: string;
  /** Recommended shard count. */
  shards: number;
  /** Session start budget. */
  session_start_limit: SessionStartLimit;
}

/** `d` of a webhook URL validation request (op 13). */
export interface CallbackValidationData {
  plain_token: string;
  event_ts: string;
}

/** Answer to a webhook URL validation request. */
export interface CallbackValidationAnswer {
  plain_token: string;
  /** Hex Ed25519 signature of `event_ts + plain_token`. */
  signature: string;
}

/** Acknowledgement of a webhook delivery (op 12); `d: 1` asks the platform to deliver again. */
export interface CallbackAck {
  op: 12;
  d: 0 | 1;
}

/** Prefix of the `Authorization` value and of the Identify/Resume `token` field. */
export const QQ_TOKEN_PREFIX = 'QQBot ';

function rule(action: CloseCodeRule['action'], meaning: string): CloseCodeRule {
  return { action, meaning };
}

function buildCloseCodes(): CloseCodeTable {
  const table = new Map<number, CloseCodeRule>([
    [1000, rule('resume', 'normal closure')],
    [1001, rule('resume', 'going away')],
    [1006, rule('resume', 'connection lost without a close frame')],
    [4001, rule('fatal', 'invalid opcode')],
    [4002, rule('fatal', 'invalid payload')],
    [4003, rule('identify', 'not authenticated')],
    [4004, rule('reauthenticate', 'authentication failed')],
    [4005, rule('identify', 'already authenticated')],
    [4006, rule('identify', 'session id invalid')],
    [4007, rule('identify', 'invalid seq')],
    [4008, rule('resumeAfterSendWindow', 'sending too fast')],
    [4009, rule('resume', 'connection expired')],
    [4010, rule('fatal', 'invalid shard')],
    [4011, rule('fatal', 'too many guilds for the shard count; reshard')],
    [4012, rule('fatal', 'invalid version')],
    [4013, rule('fatal', 'invalid intent')],
    [4014, rule('fatal', 'intent not permitted')],
    [4914, rule('fatal', 'bot delisted (sandbox only)')],
    [4915, rule('fatal', 'bot banned')],
  ]);
  for (let code = 4900; code <= 4913; code++) {
    table.set(code, rule('identify', 'internal server error'));
  }
  table.set(4902, rule('identify', 'internal server error: reset by resume'));
  table.set(4903, rule('identify', 'internal server error: create session error'));
  return table;
}

/** The platform's close codes with this project's default policy (PROTOCOL.md §3). */
export const QQ_CLOSE_CODES: CloseCodeTable = buildCloseCodes();

function isWebSocketUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'ws:' || protocol === 'wss:';
  } catch {
    return false;
  }
}

/** The QQ Bot Open Platform gateway protocol. */
export const qqProtocol: GatewayProtocol = {
  name: 'QQ',
  // The platform has no presence field in Identify and no presence opcode.
  supportsPresence: false,
  opcodes: {
    dispatch: QQOpcode.Dispatch,
    heartbeat: QQOpcode.Heartbeat,
    identify: QQOpcode.Identify,
    resume: QQOpcode.Resume,
    reconnect: QQOpcode.Reconnect,
    invalidSession: QQOpcode.InvalidSession,
    hello: QQOpcode.Hello,
    heartbeatAck: QQOpcode.HeartbeatAck,
  },
  closeCodes: QQ_CLOSE_CODES,
  fallbackCloseAction: 'resume',
  readyEvent: 'READY',
  resumedEvent: 'RESUMED',

  connectUrl(gatewayUrl: string): string {
    if (!isWebSocketUrl(gatewayUrl)) {
      throw new ValidationError(
        'gatewayUrl',
        `must be a ws: or wss: URL (got ${JSON.stringify(gatewayUrl)})`,
      );
    }
    return gatewayUrl;
  },

  identify(params: IdentifyParams): GatewayPayload<IdentifyData> {
    return {
      op: QQOpcode.Identify,
      d: {
        token: QQ_TOKEN_PREFIX + params.accessToken,
        intents: params.intents,
        shard: [params.shard[0], params.shard[1]],
        properties: { $os: process.platform, $browser: '@bot/gateway', $device: '@bot/gateway' },
      },
    };
  },

  resume(params: ResumeParams): GatewayPayload<ResumeData> {
    return {
      op: QQOpcode.Resume,
      d: { token: QQ_TOKEN_PREFIX + params.accessToken, session_id: params.sessionId, seq: params.seq },
    };
  },

  heartbeat(seq: number | null): GatewayPayload<number | null> {
    return { op: QQOpcode.Heartbeat, d: seq };
  },

  helloInterval(data: unknown): number | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const interval = (data as Partial<HelloData>).heartbeat_interval;
    return typeof interval === 'number' && Number.isFinite(interval) && interval > 0 ? interval : undefined;
  },

  readySessionId(data: unknown): string | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const sessionId = (data as Partial<ReadyData>).session_id;
    return typeof sessionId === 'string' && sessionId !== '' ? sessionId : undefined;
  },
};
