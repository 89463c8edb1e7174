import { validateHeaderValue } from 'node:http';
import type { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import type { Token } from '../auth/Token.js';
import {
  type BackoffOptions,
  type BotLogger,
  requireDuration,
  requireInteger,
  requireHttpUrl,
  ValidationError,
} from '@bot/core';
import { PRODUCTION_API_URL, SANDBOX_API_URL } from '../environments.js';
import type { RichFallbackOptions, RichFallbackReport } from '../messages/richContentFallback.js';
import type { RateLimitOptions } from './ratelimit/RateLimitOptions.js';
import type { RestAttemptEvent } from './RestAttemptEvent.js';

/** Options of a {@link RestClient}. */
export interface RestClientOptions {
  /** The bot's credentials. */
  token: Token;
  /** Use the sandbox API host. Ignored when `baseUrl` is set. */
  sandbox?: boolean | undefined;
  /** REST base URL, for an emulator or a proxy; production (or sandbox) otherwise. */
  baseUrl?: string | undefined;
  /** Token endpoint, for an emulator or a proxy; the platform's otherwise. */
  tokenUrl?: string | undefined;
  /** Share one token provider between clients (several processes' worth of shards in one). */
  tokens?: AccessTokenProvider | undefined;
  /**
   * How long one call may take in all, in milliseconds: the access token, queue and rate-limit
   * waits, every attempt and back-off; 15 s by default (each call may set its own).
   */
  timeout?: number | undefined;
  /** Retries after a rate limit, a server error or a network failure; 3 by default. */
  retries?: number | undefined;
  /** Back-off between retries without a `Retry-After`; 500 ms doubling up to 30 s by default. */
  backoff?: BackoffOptions | undefined;
  /**
   * The longest rate-limit wait the client accepts, in milliseconds; 60 s by default. A longer
   * `Retry-After` pauses the route for this long only, and the request that drew it fails at once
   * with a `RateLimitedError` carrying the wait asked for.
   */
  maxRateLimitWait?: number | undefined;
  /**
   * The largest answer body the client reads, in bytes (after decompression); 8 MiB by default. A
   * larger answer is dropped — refused by its `Content-Length`, or cut off once that many bytes
   * were read — and the call fails with a `ResponseTooLargeError`, without a retry, so one runaway
   * answer cannot take the process's memory.
   */
  maxResponseBytes?: number | undefined;
  /** Request pacing; see {@link RateLimitOptions}. */
  rateLimits?: RateLimitOptions | undefined;
  /** Logger; a sub-logger named `rest` is derived from it. */
  logger?: BotLogger | undefined;
  /**
   * `User-Agent` header; the framework's name and version by default. One a header cannot carry
   * (a line break, a control character) is refused when the client is built.
   */
  userAgent?: string | undefined;
  /**
   * Opt-in: a markdown/keyboard message the platform refuses for the bot's permissions (codes
   * 304036, 304037, 304041, 304057, 40034012) is sent once more as plain text rendered from it.
   * Each fallback is reported: the `richContentFallback` event, `onFallback`, and
   * `richFallbackOf(result)`. Off by default: the refusal is thrown.
   */
  richContentFallback?: boolean | RichFallbackOptions | undefined;
  /**
   * When a request records where your code called it, for the stack of its failure, which happens
   * in a later turn and whose own frames end in the client.
   *
   * `false` (the default): nothing is recorded while a request runs. When it fails, the functions
   * awaiting it are read from V8's async stack and shown below the error's own frames. V8 follows
   * only an unbroken chain of `await`s: a caller that does not await the call, a function that
   * returns its promise without awaiting it (its awaiting caller is shown), a call whose promise
   * has a second handler (`p.catch(log); await p`) and one run by a queue of your own
   * (`await queue.add(() => api.x())`) are not shown.
   *
   * `true`: each request keeps the line that called it when it is made, awaited or not, at the
   * cost of a stack capture per request, successful or not.
   *
   * Either way, methods that record their caller themselves (a model's `reply()`, `sendMedia()`)
   * show that caller's line. The package's README ("Where a failed call came from") has an
   * example stack, each case, and what the capture costs.
   */
  callSites?: boolean | undefined;
  /**
   * The most connections the client keeps open to the platform's host at once; 64 by default.
   * A burst of calls on routes with no cap of their own (a message to each of 500 groups) would
   * otherwise open a connection, and a TLS handshake, per call. Calls past the cap wait for a
   * free connection, within their `timeout`; one that runs out of time waiting was never sent.
   * How many may wait is `maxWaitingForConnection`.
   */
  maxSockets?: number | undefined;
  /**
   * The most calls that wait for a free connection behind the `maxSockets` on the wire; 2048 by
   * default, 0 or more. A call past it is refused at once, unsent, with a
   * `ConnectionQueueFullError`, instead of waiting until its `timeout`: each waiting call holds
   * some 30 KB (a short text message, measured on Node 20), so a platform that stops answering a
   * bot that keeps calling would otherwise take memory without end. `RestClient.waitingForConnection`
   * counts them.
   *
   * The default bounds that memory to some 60 MB. A busy bot does not reach it: with answers in
   * 200 ms, 64 connections serve some 320 calls a second, so 2048 waiting are over 6 s of work
   * queued at once (a message to each of 2,000 groups sent together, not awaited in batches), and
   * calls further back would mostly run out of the default 15 s `timeout` anyway once answers slow
   * down. Raise it for larger bursts, lower it to fail sooner; a call that timed out or was
   * cancelled while waiting still counts until a connection comes free, as Node keeps it till then.
   *
   * @defaultValue 2048
   */
  maxWaitingForConnection?: number | undefined;
}

/** Payload of the `rateLimited` event. */
export interface RateLimitedEvent {
  /** HTTP method of the limited request. */
  method: string;
  /** Route template of the limited request. */
  route: string;
  /** Rate-limit key (method, template and major id). */
  key: string;
  /**
   * How long requests on this key (or, when `global`, all requests) now wait, in milliseconds: the
   * platform's `Retry-After` (or a back-off), at most `maxRateLimitWait`.
   */
  wait: number;
  /**
   * `true` when the answer marked the limit global (`X-RateLimit-Global: true`; every route
   * pauses), `false` when only this route key pauses, which is the rule.
   */
  global: boolean;
  /** Platform code (`22009`, …) or 429. */
  code: number;
  /** Which attempt was limited, 0 for the first. */
  attempt: number;
}

/** Events a {@link RestClient} emits. */
export type RestEvents = {
  /**
   * The platform limited a request; the route (or every route) pauses `wait` ms. The request
   * retries after the pause, unless it gives up with a `RateLimitedError`.
   */
  rateLimited: (event: RateLimitedEvent) => void;
  /**
   * One attempt of a request went to the wire and got an answer or failed there: its method,
   * route, status or failure, attempt number, whether the call retries, where its time went and
   * the platform's trace id. Attempts that never left the client emit none: refused or timed out
   * in the route's queue, refused past `maxWaitingForConnection`, or timed out or cut off waiting
   * for a free connection (`maxSockets`).
   * With no listener, no event is built.
   */
  attempt: (event: RestAttemptEvent) => void;
  /**
   * A markdown/keyboard message was refused for the bot's permissions and went out as plain text
   * instead (only with the `richContentFallback` option).
   */
  richContentFallback: (report: RichFallbackReport) => void;
};

/** The bounds every call of a client runs within, defaults applied and checked. */
export interface CallBudget {
  /** See {@link RestClientOptions.timeout}. */
  timeout: number;
  /** See {@link RestClientOptions.retries}. */
  retries: number;
  /** See {@link RestClientOptions.backoff}. */
  backoff: BackoffOptions;
  /** See {@link RestClientOptions.maxRateLimitWait}. */
  maxRateLimitWait: number;
  /** See {@link RestClientOptions.maxResponseBytes}. */
  maxResponseBytes: number;
}

/** Default of {@link RestClientOptions.maxResponseBytes}: 8 MiB. */
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * The base URL requests go to, without a trailing slash: `baseUrl`, or the sandbox or production
 * host.
 *
 * @throws {@link ValidationError} for a `baseUrl` that is not http(s)
 */
export function resolveBaseUrl(options: RestClientOptions): string {
  const baseUrl =
    options.baseUrl === undefined
      ? options.sandbox
        ? SANDBOX_API_URL
        : PRODUCTION_API_URL
      : requireHttpUrl(options.baseUrl, 'baseUrl');
  return baseUrl.replace(/\/+$/, '');
}

/**
 * The `userAgent` option, checked once: every request carries it as a header, so one a header
 * cannot carry (a line break, a control character) would fail every call on the wire.
 *
 * @returns the option, or `undefined` for the framework's own
 * @throws {@link ValidationError} for a value an HTTP header cannot carry
 */
export function resolveUserAgent(options: RestClientOptions): string | undefined {
  const { userAgent } = options;
  if (userAgent === undefined) return undefined;
  try {
    validateHeaderValue('user-agent', userAgent);
  } catch (error) {
    throw new ValidationError('userAgent', `cannot be sent as a header: ${(error as Error).message}`);
  }
  return userAgent;
}

/** Default of {@link RestClientOptions.maxSockets}. */
const DEFAULT_MAX_SOCKETS = 64;

/**
 * The `maxSockets` option, default applied.
 *
 * @throws {@link ValidationError} for a value that is not a positive integer
 */
export function resolveMaxSockets(options: RestClientOptions): number {
  return requireInteger(options.maxSockets ?? DEFAULT_MAX_SOCKETS, 'maxSockets', 1);
}

/** Default of {@link RestClientOptions.maxWaitingForConnection}. */
const DEFAULT_MAX_WAITING_FOR_CONNECTION = 2048;

/**
 * The `maxWaitingForConnection` option, default applied.
 *
 * @throws {@link ValidationError} for a value that is not a non-negative integer
 */
export function resolveMaxWaitingForConnection(options: RestClientOptions): number {
  return requireInteger(
    options.maxWaitingForConnection ?? DEFAULT_MAX_WAITING_FOR_CONNECTION,
    'maxWaitingForConnection',
    0,
  );
}

/**
 * The timeout, retries, back-off, rate-limit cap and answer size cap of a client, defaults applied.
 *
 * @throws {@link ValidationError} for a duration or count out of range
 */
export function resolveCallBudget(options: RestClientOptions): CallBudget {
  return {
    timeout: requireDuration(options.timeout ?? 15_000, 'timeout'),
    retries: nonNegative('retries', options.retries ?? 3),
    backoff: backoffOptions(options.backoff ?? { base: 500, max: 30_000 }),
    maxRateLimitWait: requireDuration(options.maxRateLimitWait ?? 60_000, 'maxRateLimitWait'),
    maxResponseBytes: requireInteger(
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      'maxResponseBytes',
      1,
    ),
  };
}

function backoffOptions(options: BackoffOptions): BackoffOptions {
  requireDuration(options.base, 'backoff.base');
  requireDuration(options.max, 'backoff.max');
  if (options.max < options.base)
    throw new ValidationError('backoff.max', 'must not be less than backoff.base');
  return options;
}

function nonNegative(field: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0))
    throw new ValidationError(field, 'must be a non-negative integer');
  return value;
}
