import type { Got } from 'got';
import type { BotLogger } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { toNumber } from '../util/toNumber.js';
import { describeNetworkError, isGotTimeout, sanitizedCause } from '../util/gotErrors.js';
import type { Token } from './Token.js';

// One request to the token endpoint and what its answer means: a token with the lifetime to
// assume for it, or the typed error of a refusal or an outage. Caching and refreshing the token is
// the `AccessTokenProvider`'s.

const TOKEN_ROUTE = '/app/getAppAccessToken';
/**
 * Shortest token lifetime assumed, whatever `expires_in` says: with the provider's half-life rule,
 * a token is kept at least 30 s, so a platform answering `0` costs one token request per 30 s, not
 * one per call.
 */
export const MIN_LIFETIME_SECONDS = 60;
/** Longest token lifetime assumed (the platform issues two-hour tokens). */
const MAX_LIFETIME_SECONDS = 86_400;

interface TokenResponseBody {
  access_token?: unknown;
  expires_in?: unknown;
  code?: unknown;
  message?: unknown;
}

/** A token the endpoint handed out. */
export interface IssuedToken {
  /** The access token, without the `QQBot ` prefix. */
  value: string;
  /** The lifetime to assume, in seconds: `expires_in` bounded to [60 s, 1 day]. */
  lifetime: number;
  /** When the request that got it was sent (epoch ms): its lifetime counts from here. */
  requestedAt: number;
}

/** What a {@link TokenEndpoint} sends with, options already checked. */
export interface TokenEndpointOptions {
  /** The bot's credentials. */
  token: Token;
  /** The token endpoint's URL. */
  url: string;
  /** Timeout of one request, in milliseconds. */
  timeout: number;
  /** The HTTP client to send with. */
  http: Got;
  /** The provider's logger. */
  log: BotLogger;
  /** The provider's lifetime: a request in flight ends when it aborts, later ones fail at once. */
  signal: AbortSignal | undefined;
}

/**
 * The token endpoint of one provider: sends the credentials and checks the answer. Neither the
 * secret nor a token appears in its errors or logs.
 */
export class TokenEndpoint {
  readonly #options: TokenEndpointOptions;
  #reportedOddLifetime = false;

  /** @param options - credentials, URL, timeout, HTTP client, logger and lifetime signal */
  public constructor(options: TokenEndpointOptions) {
    this.#options = options;
  }

  /**
   * Asks for a token once, without retrying.
   *
   * @throws {@link AuthenticationError} when the platform refuses the credentials
   * @throws {@link ApiError} for a server error, a rate limit or an unreadable answer
   * @throws {@link TimeoutError} or {@link NetworkError} when the endpoint is unreachable
   * @throws {@link ClientDestroyedError} once the provider's signal aborted: not a network failure,
   *   and final (a retry would fail the same way)
   */
  public async fetch(): Promise<IssuedToken> {
    const { token, url, timeout, http, log, signal } = this.#options;
    if (isClosed(signal)) throw providerClosed();
    const requestedAt = Date.now();
    let status: number;
    let body: TokenResponseBody | undefined;
    let traceId: string | undefined;
    try {
      const response = await http.post(url, {
        json: { appId: token.appId, clientSecret: token.secret },
        responseType: 'text',
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: timeout },
        ...(signal === undefined ? {} : { signal }),
      });
      status = response.statusCode;
      traceId = headerValue(response.headers['x-tps-trace-id']);
      body = parseBody(response.body);
    } catch (error) {
      if (isClosed(signal)) throw providerClosed();
      if (isGotTimeout(error)) throw new TimeoutError('POST', TOKEN_ROUTE, timeout);
      // Named by the URL it went to: a token URL left pointing at the platform shows its host.
      throw new NetworkError('POST', TOKEN_ROUTE, describeNetworkError(error), sanitizedCause(error), url);
    }

    const value = body?.access_token;
    if (status !== 200 || typeof value !== 'string' || value === '') {
      throw this.#refusal(status, body, traceId);
    }
    const lifetime = this.#lifetimeOf(body?.expires_in);
    log.debug(`access token issued, valid for ${lifetime} s`);
    return { value, lifetime, requestedAt };
  }

  /**
   * Classifies an answer without a token. Only a client error that names a platform code (wrong
   * AppID or secret, `100016` and the like) means the credentials are bad; a server error, a rate
   * limit or an unreadable answer is an outage to retry, never a reason to give up on the bot.
   */
  #refusal(status: number, body: TokenResponseBody | undefined, traceId: string | undefined): Error {
    const code = toNumber(body?.code);
    const message = typeof body?.message === 'string' ? body.message : `token endpoint answered ${status}`;
    const outage = status >= 500 || status === 429 || body === undefined;
    if (outage) {
      this.#options.log.warn(`token endpoint unavailable: ${status}: ${message}`);
      return new ApiError({
        status,
        code: code ?? status,
        errCode: undefined,
        message,
        traceId,
        method: 'POST',
        route: TOKEN_ROUTE,
      });
    }
    // Not a warning: the AuthenticationError reaches the caller (and `start()`), which reports it
    // once; a failed background refresh is logged by the provider.
    this.#options.log.debug(`access token request refused: code ${code ?? status}: ${message}`);
    return new AuthenticationError(code ?? status, message, traceId);
  }

  /**
   * The lifetime to assume for a token, in seconds: `expires_in` within
   * [{@link MIN_LIFETIME_SECONDS}, {@link MAX_LIFETIME_SECONDS}]. A missing, unreadable, zero or
   * negative value would otherwise mean a token request per call; the first odd value is logged.
   */
  #lifetimeOf(expiresIn: unknown): number {
    const seconds = toNumber(expiresIn);
    const lifetime =
      seconds === undefined
        ? MIN_LIFETIME_SECONDS
        : Math.min(Math.max(seconds, MIN_LIFETIME_SECONDS), MAX_LIFETIME_SECONDS);
    if (lifetime !== seconds && !this.#reportedOddLifetime) {
      this.#reportedOddLifetime = true;
      this.#options.log.warn(
        `token endpoint answered expires_in ${JSON.stringify(expiresIn)?.slice(0, 40) ?? 'undefined'}; ` +
          `assuming ${lifetime} s (reported once)`,
      );
    }
    return lifetime;
  }
}

/** Parses the token endpoint's body; `undefined` when it is not a JSON object. */
function parseBody(text: string): TokenResponseBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as TokenResponseBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the provider's `signal` has ended it (a call, so a check after an `await` is not narrowed away). */
function isClosed(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The error of a fetch asked for, or cut short, once the provider's `signal` had ended it. */
function providerClosed(): ClientDestroyedError {
  return new ClientDestroyedError('POST', TOKEN_ROUTE, 'tokenProvider');
}

/** The first value of a header that may be repeated. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
