import type { IncomingHttpHeaders } from 'node:http';
import type { Got } from 'got';
import type { BotLogger } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import { ACCESS_TOKEN_ROUTE } from '../errors/delivery.js';
import { NetworkError } from '../errors/NetworkError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { platformText } from '@bot/core';
import { toNumber } from '../util/toNumber.js';
import { type BothClocks, readBothClocks } from '../util/bothClocks.js';
import { describeNetworkError, isGotTimeout, sanitizedCause } from '../util/gotErrors.js';
import { type CredentialsAnswer, MAX_TOKEN_ANSWER_BYTES, postCredentials } from './postCredentials.js';
import type { Token } from './Token.js';
import { describeValue } from '../errors/describeValue.js';

// One request to the token endpoint and what its answer means: a token with the lifetime to
// assume for it, or the typed error of a refusal or an outage. Caching and refreshing the token is
// the `AccessTokenProvider`'s.

/** Request Timeout: the server (or a proxy before it) stopped waiting for the request; an outage. */
const REQUEST_TIMEOUT = 408;
/** Answers of a server without the token route (a wrong `tokenUrl`), when they carry no platform code. */
const WRONG_ROUTE_STATUSES: ReadonlySet<number> = new Set([404, 405]);

/**
 * Shortest token lifetime assumed, whatever `expires_in` says: with the provider's half-life rule,
 * a token is kept at least 30 s, so a platform answering `0` costs one token request per 30 s, not
 * one per call.
 */
export const MIN_LIFETIME_SECONDS = 60;
/** Longest token lifetime assumed (the platform issues two-hour tokens). */
const MAX_LIFETIME_SECONDS = 86_400;
/**
 * What a usable token is: 1 to 4096 visible ASCII characters, so that `Authorization: QQBot …`
 * can carry it (docs/protocol.md §1.2, §1.4).
 */
const USABLE_TOKEN = /^[\x21-\x7e]{1,4096}$/;

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
  /**
   * When the request that got it was sent, on both clocks: its lifetime (relative seconds, real
   * time) counts from here.
   */
  requestedAt: BothClocks;
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
   * @throws {@link ApiError} for a server error, a rate limit, an unreadable answer, a 2xx without a
   *   usable token, an answer over 64 KiB, or a redirect (never followed: the secret stays here)
   * @throws {@link TimeoutError} or {@link NetworkError} when the endpoint is unreachable
   * @throws {@link ClientDestroyedError} once the provider's signal aborted: not a network failure,
   *   and final (a retry would fail the same way)
   */
  public async fetch(): Promise<IssuedToken> {
    const { token, url, timeout, http, log, signal } = this.#options;
    if (isClosed(signal)) throw providerClosed();
    const requestedAt = readBothClocks();
    let answer: CredentialsAnswer;
    try {
      answer = await postCredentials({
        http,
        url,
        json: { appId: token.appId, clientSecret: token.secret },
        timeout,
        signal,
      });
    } catch (error) {
      if (isClosed(signal)) throw providerClosed();
      if (isGotTimeout(error)) throw new TimeoutError('POST', ACCESS_TOKEN_ROUTE, timeout);
      // Named by the URL it went to: a token URL left pointing at the platform shows its host.
      throw new NetworkError(
        'POST',
        ACCESS_TOKEN_ROUTE,
        describeNetworkError(error),
        sanitizedCause(error),
        url,
      );
    }
    const { status } = answer;
    const traceId = traceIdOf(answer.headers);
    if (answer.body === undefined) {
      throw this.#outage(
        status,
        undefined,
        `token endpoint answered over ${MAX_TOKEN_ANSWER_BYTES} bytes (${answer.oversize} announced or ` +
          'read before the connection was dropped); a token answer takes well under 1 KiB: check that ' +
          'tokenUrl points at the token endpoint',
        traceId,
      );
    }
    if (status >= 300 && status < 400) throw this.#redirected(status, answer.headers['location'], traceId);

    const body = parseBody(answer.body);
    const value = body?.access_token;
    if (status >= 200 && status < 300 && typeof value === 'string' && USABLE_TOKEN.test(value)) {
      const lifetime = this.#lifetimeOf(body?.expires_in);
      log.debug(`access token issued, valid for ${lifetime} s`);
      return { value, lifetime, requestedAt };
    }
    throw this.#refusal(status, body, traceId);
  }

  /**
   * Classifies an answer without a usable token (docs/protocol.md §1.2). Only a platform code
   * (`100016` and the like) in a 2xx, or a client error, means the credentials are bad; a server
   * error, a rate limit, a 408, an unreadable answer, a 2xx without a usable token or a 404/405
   * without a platform code (a wrong `tokenUrl`) is an outage to retry, never a reason to give up
   * on the bot.
   */
  #refusal(status: number, body: TokenResponseBody | undefined, traceId: string | undefined): Error {
    const code = toNumber(body?.code);
    const message =
      typeof body?.message === 'string' ? platformText(body.message) : `token endpoint answered ${status}`;
    // A 408 is a proxy's or the server's giving up on receiving the request: it judged nothing.
    if (status >= 500 || status === 429 || status === REQUEST_TIMEOUT || body === undefined)
      return this.#outage(status, code, message, traceId);
    if (WRONG_ROUTE_STATUSES.has(status) && code === undefined) {
      // A route the server does not have says nothing of the credentials.
      return this.#outage(
        status,
        code,
        `${message}: no platform code, so not a verdict on the credentials; check that tokenUrl ` +
          'points at the token endpoint',
        traceId,
      );
    }
    if (status < 300 && (code === undefined || code === 0 || body.access_token !== undefined)) {
      // Nothing says the credentials are wrong, and the token cannot be used: quote none of it,
      // it may be a real token.
      return this.#outage(
        status,
        code,
        `token endpoint answered an unusable access_token (${tokenProblem(body.access_token)}); ` +
          'nothing was cached and the next call asks again: if it persists, check that tokenUrl ' +
          'points at the token endpoint',
        traceId,
      );
    }
    // Not a warning: the AuthenticationError reaches the caller (and `start()`), which reports it
    // once; a failed background refresh is logged by the provider.
    this.#options.log.debug(`access token request refused: code ${code ?? status}: ${message}`);
    return new AuthenticationError(code ?? status, message, traceId);
  }

  /** The error of an answer that is an outage to retry: logged, and never cached. */
  #outage(status: number, code: number | undefined, message: string, traceId: string | undefined): ApiError {
    this.#options.log.warn(`token endpoint unavailable: ${status}: ${message}`);
    return endpointError(status, code ?? status, message, traceId);
  }

  /**
   * The error of a redirect, which is not followed: it would send the AppSecret to the host it
   * names. It names that host, for a user who trusts it to set `tokenUrl` to it.
   */
  #redirected(status: number, location: string | undefined, traceId: string | undefined): ApiError {
    const target = redirectTarget(location, this.#options.url);
    const message =
      target === undefined
        ? 'token endpoint redirected without a usable Location; not followed, the credentials ' +
          "were sent nowhere else: set tokenUrl to the token endpoint's own URL"
        : `token endpoint redirected to ${target.origin}; not followed, the credentials were not sent ` +
          `there: if that host is your token endpoint, set tokenUrl to ${target.url}`;
    this.#options.log.warn(`${message} (answer ${status})`);
    return endpointError(status, status, message, traceId);
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
        `token endpoint answered expires_in ${describeValue(expiresIn)}; ` +
          `assuming ${lifetime} s (reported once)`,
      );
    }
    return lifetime;
  }
}

/** An {@link ApiError} of the token endpoint. */
function endpointError(status: number, code: number, message: string, traceId: string | undefined): ApiError {
  return new ApiError({
    status,
    code,
    errCode: undefined,
    message,
    traceId,
    method: 'POST',
    route: ACCESS_TOKEN_ROUTE,
  });
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
  return new ClientDestroyedError('POST', ACCESS_TOKEN_ROUTE, 'tokenProvider');
}

/** The answer's trace id (`X-Tps-trace-Id`), bounded for quoting. */
function traceIdOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-tps-trace-id'];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : platformText(first);
}

/** What is wrong with an `access_token` that is not usable, without quoting it. */
function tokenProblem(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'object') return `${Array.isArray(value) ? 'an array' : 'an object'}, not a string`;
  if (typeof value !== 'string') return `a ${typeof value}, not a string`;
  if (value === '') return 'empty';
  if (value.length > 4096) return `${value.length} characters, over 4096`;
  return 'a character a header cannot carry';
}

/** Where a redirect points, resolved against the token URL; `undefined` when it names no http(s) URL. */
function redirectTarget(
  location: string | undefined,
  base: string,
): { origin: string; url: string } | undefined {
  if (location === undefined || location === '') return undefined;
  let target: URL;
  try {
    target = new URL(location, base);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  // Without query or fragment: the option takes the endpoint's URL, and a query may carry anything.
  return {
    origin: platformText(target.origin, 200),
    url: platformText(target.origin + target.pathname, 300),
  };
}
