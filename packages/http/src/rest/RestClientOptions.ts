import type { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import type { Token } from '../auth/Token.js';
import type { BotLogger } from '../logging/logger.js';
import type { BackoffOptions } from '../util/backoff.js';
import type { RateLimitOptions } from './ratelimit/RateLimitOptions.js';

/** Options of a {@link RestClient}. */
export interface RestClientOptions {
  /** The bot's credentials. */
  token: Token;
  /** Use the sandbox API host. Ignored when `baseUrl` is set. */
  sandbox?: boolean;
  /** REST base URL, for an emulator or a proxy; production (or sandbox) otherwise. */
  baseUrl?: string;
  /** Token endpoint, for an emulator or a proxy; the platform's otherwise. */
  tokenUrl?: string;
  /** Share one token provider between clients (several processes' worth of shards in one). */
  tokens?: AccessTokenProvider;
  /** Per-attempt timeout in milliseconds; 15 s by default. */
  timeout?: number;
  /** Retries after a rate limit, a server error or a network failure; 3 by default. */
  retries?: number;
  /** Back-off between retries without a `Retry-After`; 500 ms doubling up to 30 s by default. */
  backoff?: BackoffOptions;
  /** Request pacing; see {@link RateLimitOptions}. */
  rateLimits?: RateLimitOptions;
  /** Logger; a sub-logger named `rest` is derived from it. */
  logger?: BotLogger;
  /** `User-Agent` header; the framework's name and version by default. */
  userAgent?: string;
}

/** Payload of the `rateLimited` event. */
export interface RateLimitedEvent {
  /** HTTP method of the limited request. */
  method: string;
  /** Route template of the limited request. */
  route: string;
  /** Rate-limit key (method, template and major id). */
  key: string;
  /** How long requests on this key (or, when `global`, all requests) now wait, in milliseconds. */
  wait: number;
  /** `true` for HTTP 429 (every route pauses), `false` for a per-route code such as `22009`. */
  global: boolean;
  /** Platform code (`22009`, …) or 429. */
  code: number;
  /** Which attempt was limited, 0 for the first. */
  attempt: number;
}

/** Events a {@link RestClient} emits. */
export type RestEvents = {
  /** The platform limited a request; the client waits `wait` ms before trying again. */
  rateLimited: (event: RateLimitedEvent) => void;
};
