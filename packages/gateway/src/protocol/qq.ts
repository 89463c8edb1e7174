/**
 * The QQ Bot Open Platform as the shard sees it: the close-code table with this project's default
 * policy, and the frame builders and readers behind {@link qqProtocol}. The wire shapes themselves
 * (opcodes, Hello, Ready, Identify, Resume) are defined once, in `@bot/http`.
 */
import {
  authorization,
  GatewayCloseCode,
  Opcode,
  ValidationError,
  type GatewayPayload,
  type HelloData,
  type IdentifyData,
  type ReadyData,
  type ResumeData,
} from '@bot/core';
import type {
  CloseCodeRule,
  CloseCodeTable,
  GatewayProtocol,
  IdentifyParams,
  ResumeParams,
} from './GatewayProtocol.js';

function rule(action: CloseCodeRule['action'], meaning: string): CloseCodeRule {
  return { action, meaning };
}

function buildCloseCodes(): CloseCodeTable {
  const code = GatewayCloseCode;
  const table = new Map<number, CloseCodeRule>([
    // WebSocket's own codes: the platform ended the connection, not the session.
    [1000, rule('resume', 'normal closure')],
    [1001, rule('resume', 'going away')],
    [1006, rule('resume', 'connection lost without a close frame')],
    [code.InvalidOpcode, rule('fatal', 'invalid opcode')],
    [code.InvalidPayload, rule('fatal', 'invalid payload')],
    [code.NotAuthenticated, rule('identify', 'not authenticated')],
    [code.AuthenticationFailed, rule('reauthenticate', 'authentication failed')],
    [code.AlreadyAuthenticated, rule('identify', 'already authenticated')],
    [code.InvalidSession, rule('identify', 'session id invalid')],
    [code.InvalidSeq, rule('identify', 'invalid seq')],
    [code.RateLimited, rule('resumeAfterSendWindow', 'sending too fast')],
    [code.SessionTimedOut, rule('resume', 'connection expired')],
    [code.InvalidShard, rule('fatal', 'invalid shard')],
    [code.ShardingRequired, rule('fatal', 'too many guilds for the shard count; reshard')],
    [code.InvalidVersion, rule('fatal', 'invalid version')],
    [code.InvalidIntents, rule('fatal', 'invalid intent')],
    [code.DisallowedIntents, rule('fatal', 'intent not permitted')],
    [code.BotDelisted, rule('fatal', 'bot delisted (sandbox only)')],
    [code.BotBanned, rule('fatal', 'bot banned')],
  ]);
  for (let internal = code.InternalErrorFirst; internal <= code.InternalErrorLast; internal++) {
    table.set(internal, rule('identify', 'internal server error'));
  }
  // Another connection resumed this session: a second process running the same shard (docs/protocol.md §4).
  table.set(
    code.ResetByResume,
    rule(
      'identify',
      'reset by resume: another connection resumed this session; if another process runs this shard, ' +
        'both now get its events (RedisShardLeases keeps a shard in one process)',
    ),
  );
  table.set(code.CreateSessionError, rule('identify', 'internal server error: create session error'));
  return table;
}

/** The platform's close codes with this project's default policy. */
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
    dispatch: Opcode.Dispatch,
    heartbeat: Opcode.Heartbeat,
    identify: Opcode.Identify,
    resume: Opcode.Resume,
    reconnect: Opcode.Reconnect,
    invalidSession: Opcode.InvalidSession,
    hello: Opcode.Hello,
    heartbeatAck: Opcode.HeartbeatAck,
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
      op: Opcode.Identify,
      d: {
        token: authorization(params.accessToken),
        intents: params.intents,
        shard: [params.shard[0], params.shard[1]],
        properties: { $os: process.platform, $browser: '@bot/gateway', $device: '@bot/gateway' },
      },
    };
  },

  resume(params: ResumeParams): GatewayPayload<ResumeData> {
    return {
      op: Opcode.Resume,
      d: { token: authorization(params.accessToken), session_id: params.sessionId, seq: params.seq },
    };
  },

  heartbeat(seq: number | null): GatewayPayload<number | null> {
    return { op: Opcode.Heartbeat, d: seq };
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

  readyShard(data: unknown): readonly [number, number] | null | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const shard: unknown = (data as Partial<ReadyData>).shard;
    if (shard === undefined) return undefined;
    if (!Array.isArray(shard) || shard.length !== 2) return null;
    const [id, count]: unknown[] = shard;
    if (!Number.isSafeInteger(id) || !Number.isSafeInteger(count)) return null;
    // The platform's own READY example shows [0, 0] beside an Identify of [0, 4] (docs/protocol.md
    // §3.4): a count of 0 is no shard count, so such a pair says nothing about which shard this is.
    if (count === 0) return undefined;
    return [id as number, count as number];
  },
};
