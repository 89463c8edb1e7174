import type { ILogObj, Logger } from 'tslog';
import { EmulatorError } from './EmulatorError.js';
import type { SessionStartLimitOptions } from './gateway/IdentifyLimiter.js';
import { ALL_INTENTS, DEFAULT_GRANTED_INTENTS } from './protocol/intents.js';
import { DEFAULT_REPLY_WINDOWS } from './rest/rules/ReplyLedger.js';
import type { Scene } from './state/MessageStore.js';
import { MAX_EMULATOR_SHARDS } from './util/ids.js';
import { DAY_MS } from './util/time.js';

/** The platform's identify window: one identify per bucket (`shard_id % max_concurrency`) per 5 s. */
export const PLATFORM_IDENTIFY_WINDOW_MS = 5000;

/**
 * How strictly the emulator paces session starts:
 * - `'instant'`: no identify window, and `max_concurrency` as large as the shard count, so a bot
 *   with many shards starts at once: its client paces identifies by `max_concurrency`, one per
 *   bucket per window, and every shard gets a bucket of its own (local runs, most tests);
 * - `'platform'`: the platform's rule, one identify per bucket per {@link PLATFORM_IDENTIFY_WINDOW_MS},
 *   a faster one closed with 4008, and `max_concurrency` 1 (tests of identify pacing).
 */
export type Pacing = 'instant' | 'platform';

/** Options of `Emulator.start`; every field has a platform-like default. */
export interface EmulatorOptions {
  /** The bot's AppID (default `"102000000"`). */
  appId?: string | undefined;
  /** The bot's AppSecret (default `"EmulatorSecret0123456789abcdefgh"`). */
  secret?: string | undefined;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string | undefined;
  /** Port (default 0: chosen by the OS). One port serves token, REST, gateway and control. */
  port?: number | undefined;
  /**
   * Shard count `GET /gateway/bot` recommends (default 1). The seed world gets a guild on every
   * shard (`world.guildsOnEveryShard`), so each shard has guild events to receive. At most
   * {@link MAX_EMULATOR_SHARDS} (10,000), the gateway's bound on a bot's shard count.
   */
  shards?: number | undefined;
  /**
   * Session start budget (defaults: total 1000, remaining = total, reset_after 24 h,
   * max_concurrency = `shards` with pacing `'instant'`, 1 with `'platform'`).
   */
  sessionStartLimit?:
    { [K in keyof SessionStartLimitOptions]?: SessionStartLimitOptions[K] | undefined } | undefined;
  /** Identify pacing preset (default `'instant'`); `identifyWindow` overrides its window. */
  pacing?: Pacing | undefined;
  /**
   * Identify window per bucket in ms; a faster identify closes with 4008 (default 0 with pacing
   * `'instant'`, {@link PLATFORM_IDENTIFY_WINDOW_MS} with `'platform'`).
   */
  identifyWindow?: number | undefined;
  /** `heartbeat_interval` in Hello, ms (default 41250). */
  heartbeatInterval?: number | undefined;
  /** Close a connection with 4009 after this long without a heartbeat, ms (default 2 × interval; 0 disables). */
  heartbeatTimeout?: number | undefined;
  /** Access token lifetime in seconds (default 7200). */
  tokenLifetime?: number | undefined;
  /** Start with audit mode on: guild/DM sends answer 202 and wait for `simulate.auditPass` (default false). */
  auditMode?: boolean | undefined;
  /** Intents the bot is granted (default GUILDS | GUILD_MEMBERS | PUBLIC_GUILD_MESSAGES; `'all'` for every intent). */
  grantedIntents?: number | 'all' | undefined;
  /** Reply windows per scene in ms (defaults: c2c 60 min, others 5 min). */
  replyWindows?: { [S in Scene]?: number | undefined } | undefined;
  /** How long a disconnected session stays resumable, ms (default 5 min). */
  resumeWindow?: number | undefined;
  /**
   * Refuse a Resume from behind the highest seq the session's heartbeats reported, with 4007
   * (invalid seq), as a strict platform may: a heartbeat acknowledges every event up to its seq,
   * so the platform owes no replay of them (default false: any buffered seq resumes).
   */
  strictResume?: boolean | undefined;
  /** Dispatches each session keeps for replay (default 10000). */
  resumeBufferSize?: number | undefined;
  /** Largest accepted gateway frame in bytes; larger frames close with 4002 (default 16384). */
  maxFrameBytes?: number | undefined;
  /** Largest accepted REST body in bytes (default 10 MiB). */
  maxBodyBytes?: number | undefined;
  /** Webhook delivery: the callback URL (validated with op 13 unless `validate: false`), retries and timeout. */
  webhook?:
    | {
        url?: string | undefined;
        validate?: boolean | undefined;
        retryDelays?: number[] | undefined;
        timeout?: number | undefined;
      }
    | undefined;
  /** Records kept by the recorder (default 50000). */
  recordLimit?: number | undefined;
  /**
   * Where internal errors are reported, and each published event when it logs at info level or
   * below (default: a tslog logger named `qq-emulator` at warn level).
   */
  logger?: Logger<ILogObj> | undefined;
}

/** Every field given, none `undefined`: what resolving the options leaves. */
type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** Options with every default applied. */
export type ResolvedOptions = Filled<
  Omit<
    EmulatorOptions,
    'pacing' | 'sessionStartLimit' | 'grantedIntents' | 'replyWindows' | 'webhook' | 'logger'
  >
> & {
  sessionStartLimit: SessionStartLimitOptions;
  grantedIntents: number;
  replyWindows: Record<Scene, number>;
  webhook: { url: string | undefined; validate: boolean; retryDelays: number[]; timeout: number };
  logger: Logger<ILogObj> | undefined;
};

function check(condition: boolean, message: string): void {
  if (!condition) throw new EmulatorError(`invalid option: ${message}`);
}

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 1;
const isDuration = (n: number): boolean => Number.isFinite(n) && n >= 0;

function pacingOf(given: Pacing | undefined): Pacing {
  if (given === undefined) return 'instant';
  check(
    given === 'instant' || given === 'platform',
    `pacing must be 'instant' or 'platform', got ${String(given)}`,
  );
  return given;
}

/** Each scene's window, the default where none is given: an explicit `undefined` keeps the default. */
function replyWindowsOf(given: EmulatorOptions['replyWindows']): Record<Scene, number> {
  const windows = { ...DEFAULT_REPLY_WINDOWS };
  for (const [scene, ms] of Object.entries(given ?? {})) {
    if (ms !== undefined) windows[scene as Scene] = ms;
  }
  return windows;
}

/** Applies defaults and rejects impossible values with an {@link EmulatorError} naming the option. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const heartbeatInterval = options.heartbeatInterval ?? 41_250;
  const total = options.sessionStartLimit?.total ?? 1000;
  const pacing = pacingOf(options.pacing);
  const shards = options.shards ?? 1;
  const resolved: ResolvedOptions = {
    appId: options.appId ?? '102000000',
    secret: options.secret ?? 'EmulatorSecret0123456789abcdefgh',
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    shards,
    sessionStartLimit: {
      total,
      remaining: options.sessionStartLimit?.remaining ?? total,
      resetAfter: options.sessionStartLimit?.resetAfter ?? DAY_MS,
      maxConcurrency: options.sessionStartLimit?.maxConcurrency ?? (pacing === 'instant' ? shards : 1),
    },
    identifyWindow: options.identifyWindow ?? (pacing === 'platform' ? PLATFORM_IDENTIFY_WINDOW_MS : 0),
    heartbeatInterval,
    heartbeatTimeout: options.heartbeatTimeout ?? heartbeatInterval * 2,
    tokenLifetime: options.tokenLifetime ?? 7200,
    auditMode: options.auditMode ?? false,
    grantedIntents:
      options.grantedIntents === 'all' ? ALL_INTENTS : (options.grantedIntents ?? DEFAULT_GRANTED_INTENTS),
    replyWindows: replyWindowsOf(options.replyWindows),
    resumeWindow: options.resumeWindow ?? 5 * 60_000,
    resumeBufferSize: options.resumeBufferSize ?? 10_000,
    strictResume: options.strictResume ?? false,
    maxFrameBytes: options.maxFrameBytes ?? 16_384,
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    webhook: {
      url: options.webhook?.url,
      validate: options.webhook?.validate ?? true,
      retryDelays: options.webhook?.retryDelays ?? [1000, 2000, 4000],
      timeout: options.webhook?.timeout ?? 5000,
    },
    recordLimit: options.recordLimit ?? 50_000,
    logger: options.logger,
  };
  check(resolved.appId !== '', 'appId must not be empty');
  check(resolved.secret !== '', 'secret must not be empty');
  check(
    Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65_535,
    `port must be 0–65535, got ${resolved.port}`,
  );
  check(isCount(resolved.shards), `shards must be a positive integer, got ${resolved.shards}`);
  check(
    resolved.shards <= MAX_EMULATOR_SHARDS,
    `shards must be at most ${MAX_EMULATOR_SHARDS.toLocaleString('en-US')}, the most a bot may run ` +
      `(the gateway refuses more), got ${resolved.shards}`,
  );
  const limit = resolved.sessionStartLimit;
  check(isCount(limit.total), `sessionStartLimit.total must be a positive integer, got ${limit.total}`);
  check(
    Number.isInteger(limit.remaining) && limit.remaining >= 0,
    `sessionStartLimit.remaining must be a non-negative integer, got ${limit.remaining}`,
  );
  check(
    limit.resetAfter > 0 && Number.isFinite(limit.resetAfter),
    `sessionStartLimit.resetAfter must be positive, got ${limit.resetAfter}`,
  );
  check(
    isCount(limit.maxConcurrency),
    `sessionStartLimit.maxConcurrency must be a positive integer, got ${limit.maxConcurrency}`,
  );
  check(
    isDuration(resolved.identifyWindow),
    `identifyWindow must be a non-negative number of ms, got ${resolved.identifyWindow}`,
  );
  check(
    heartbeatInterval > 0 && Number.isFinite(heartbeatInterval),
    `heartbeatInterval must be positive, got ${heartbeatInterval}`,
  );
  check(
    isDuration(resolved.heartbeatTimeout),
    `heartbeatTimeout must be a non-negative number of ms, got ${resolved.heartbeatTimeout}`,
  );
  check(
    resolved.tokenLifetime > 60,
    `tokenLifetime must exceed the 60 s renewal window, got ${resolved.tokenLifetime}`,
  );
  check(
    Number.isInteger(resolved.grantedIntents) && resolved.grantedIntents >= 0,
    'grantedIntents must be a bit set',
  );
  for (const [scene, ms] of Object.entries(resolved.replyWindows))
    check(isDuration(ms), `replyWindows.${scene} must be a non-negative number of ms`);
  check(
    isDuration(resolved.resumeWindow),
    `resumeWindow must be a non-negative number of ms, got ${resolved.resumeWindow}`,
  );
  check(
    isCount(resolved.resumeBufferSize),
    `resumeBufferSize must be a positive integer, got ${resolved.resumeBufferSize}`,
  );
  check(
    isCount(resolved.maxFrameBytes),
    `maxFrameBytes must be a positive integer, got ${resolved.maxFrameBytes}`,
  );
  check(
    isCount(resolved.maxBodyBytes),
    `maxBodyBytes must be a positive integer, got ${resolved.maxBodyBytes}`,
  );
  check(
    resolved.webhook.retryDelays.every(isDuration),
    'webhook.retryDelays must be non-negative numbers of ms',
  );
  check(resolved.webhook.timeout > 0, `webhook.timeout must be positive, got ${resolved.webhook.timeout}`);
  check(isCount(resolved.recordLimit), `recordLimit must be a positive integer, got ${resolved.recordLimit}`);
  return resolved;
}
