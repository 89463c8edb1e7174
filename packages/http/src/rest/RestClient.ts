import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import { authorization } from '../auth/authorization.js';
import { PRODUCTION_API_URL, SANDBOX_API_URL } from '../environments.js';
import { ApiError } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import type { DecodeError } from '../errors/DecodeError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { ValidationError } from '../errors/ValidationError.js';
import { childLogger, createLogger, type BotLogger } from '../logging/logger.js';
import { sleep } from '../util/abort.js';
import { withDeadline } from '../util/deadline.js';
import { backoffDelay, type BackoffOptions } from '../util/backoff.js';
import { typedEventEmitter } from '../util/typedEventEmitter.js';
import { requireHttpUrl } from '../util/validate.js';
import { describeNetworkError, isGotTimeout, sanitizedCause } from '../util/gotErrors.js';
import { toFormData } from './body.js';
import type { PendingAudit } from './PendingAudit.js';
import { RateLimitManager } from './ratelimit/RateLimitManager.js';
import type { HttpMethod, RequestOptions } from './RequestOptions.js';
import type { RestClientOptions, RestEvents } from './RestClientOptions.js';
import { classifyResponse, type Outcome } from './response.js';
import { fillRoute, routeKey, withQuery } from './routes.js';

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose repetition has the same effect as one call: safe to re-send after a timeout. */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'PATCH', 'DELETE']);
/** Failures that happen before a request leaves the machine: re-sending cannot duplicate it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Server errors that mean the request never reached the application behind the gateway. */
const NOT_PROCESSED = new Set([502, 503]);
const USER_AGENT = 'QQBotFramework (@bot/http, 0.1.0)';

/**
 * The QQ REST transport: authenticates, paces, sends and retries requests, and maps failures to
 * typed errors. Endpoint methods live on `BotApi`; use `request` directly for anything else.
 *
 * Retry rules: HTTP 429 and code `22009` wait (`Retry-After` when given, back-off otherwise) and
 * retry; server errors and network failures retry with back-off when re-sending cannot duplicate
 * an effect; a timed-out POST is reported, not re-sent, unless the request opts in with
 * `retryOnTimeout`; HTTP 401 or code `11244` refreshes the token and retries once.
 *
 * ```ts
 * const rest = new RestClient({ token: new Token(appId, secret) });
 * const me = await rest.request<{ id: string; username: string }>({ method: 'GET', route: '/users/@me' });
 * ```
 */
export class RestClient extends typedEventEmitter<RestEvents>() {
  /** The access-token provider; share it with the gateway so both use one token. */
  public readonly tokens: AccessTokenProvider;
  /** REST base URL requests go to. */
  public readonly baseUrl: string;
  readonly #http: Got;
  readonly #agents: { http: http.Agent; https: https.Agent };
  readonly #limits: RateLimitManager;
  readonly #log: BotLogger;
  readonly #timeout: number;
  readonly #retries: number;
  readonly #backoff: BackoffOptions;
  /** `#http` with the current token's `authorization` set, made again when the token changes. */
  #authorized: { accessToken: string; http: Got } | undefined;

  /** @param options - credentials, environment, timeouts, retries, pacing and logging */
  public constructor(options: RestClientOptions) {
    super();
    const logger = options.logger ?? createLogger();
    this.#log = childLogger(logger, 'rest');
    const baseUrl =
      options.baseUrl === undefined
        ? options.sandbox
          ? SANDBOX_API_URL
          : PRODUCTION_API_URL
        : requireHttpUrl(options.baseUrl, 'baseUrl');
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.tokens =
      options.tokens ??
      new AccessTokenProvider(options.token, {
        logger,
        ...(options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl }),
      });
    this.#timeout = positive('timeout', options.timeout ?? 15_000);
    this.#retries = nonNegative('retries', options.retries ?? 3);
    this.#backoff = options.backoff ?? { base: 500, max: 30_000 };
    this.#limits = new RateLimitManager(options.rateLimits);
    // Keep-alive sockets: a bot talks to one host all day, and a new TLS handshake per message
    // would cost more than the message.
    this.#agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
    // Everything that is the same for every request is set here once: got merges per-request
    // options key by key, and lower-cases every header it is handed, on every request. The
    // deadline is ours (`withDeadline`), not got's `timeout`, which costs far more per request.
    this.#http = got.extend({
      agent: this.#agents,
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      headers: {
        accept: 'application/json',
        'user-agent': options.userAgent ?? USER_AGENT,
        'x-union-appid': this.tokens.appId,
      },
    });
  }

  /** Requests waiting for their turn in a route queue (not yet on the wire). */
  public get queuedRequests(): number {
    return this.#limits.queued;
  }

  /** The bot's AppID (sent as `X-Union-Appid`, and needed by interaction callbacks). */
  public get appId(): string {
    return this.tokens.appId;
  }

  /**
   * Sends one request and resolves its parsed JSON body (`undefined` for an empty 204 answer).
   *
   * @param options - method, route template and its parameters, query, body or files, signal, timeout
   * @returns the body, or a {@link PendingAudit} when `auditable` is set and the platform holds the message for audit
   * @throws {@link ValidationError} before sending, when the method or a route parameter is wrong
   * @throws {@link ApiError} for an error answer, {@link DecodeError} for a 2xx answer whose body is
   *   not JSON, {@link RateLimitedError} when still limited after the retries, {@link AuthenticationError} when a fresh token is refused too, {@link NetworkError},
   *   {@link TimeoutError}, or the signal's reason when aborted
   */
  public request<T>(options: RequestOptions & { auditable: true }): Promise<T | PendingAudit>;
  public request<T>(options: RequestOptions): Promise<T>;
  public async request<T>(options: RequestOptions): Promise<T | PendingAudit> {
    const { method, route, signal } = options;
    if (!METHODS.has(method))
      throw new ValidationError('method', `must be one of ${[...METHODS].join(', ')}`);
    const url = this.baseUrl + withQuery(fillRoute(route, options.params), options.query);
    const key = routeKey(method, route, options.params);
    const template = `${method} ${route}`;
    const timeout = options.timeout === undefined ? this.#timeout : positive('timeout', options.timeout);

    let retriesUsed = 0;
    let refreshedToken = false;
    for (;;) {
      signal?.throwIfAborted();
      let accessToken: string | undefined;
      try {
        accessToken = options.unauthenticated ? undefined : await this.tokens.get(signal ? { signal } : {});
      } catch (error) {
        // An unreachable or failing token endpoint is an outage like any other: retry it within
        // the same budget. Refused credentials (AuthenticationError) are final.
        if (!signal?.aborted && isTokenOutage(error) && retriesUsed < this.#retries) {
          this.#log.debug(`${template}: token endpoint unavailable (${(error as Error).message}); retrying`);
          await sleep(backoffDelay(retriesUsed++, this.#backoff), signal);
          continue;
        }
        throw error;
      }
      const startedAt = Date.now();
      let outcome: Outcome;
      try {
        outcome = await this.#limits.schedule(
          key,
          template,
          () => this.#send(url, options, accessToken, timeout),
          signal,
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const retryable = IDEMPOTENT.has(method) || options.retryOnTimeout === true;
        if (isGotTimeout(error)) {
          this.#log.debug(`${template} timed out after ${timeout} ms (attempt ${retriesUsed})`);
          if (retryable && retriesUsed < this.#retries) {
            await sleep(backoffDelay(retriesUsed++, this.#backoff), signal);
            continue;
          }
          throw new TimeoutError(method, route, timeout);
        }
        const reason = describeNetworkError(error);
        this.#log.debug(`${template} failed on the network: ${reason} (attempt ${retriesUsed})`);
        if ((retryable || NEVER_SENT.has(reason)) && retriesUsed < this.#retries) {
          await sleep(backoffDelay(retriesUsed++, this.#backoff), signal);
          continue;
        }
        throw new NetworkError(method, route, reason, sanitizedCause(error));
      }
      this.#log.debug(`${template} → ${outcome.type} in ${Date.now() - startedAt} ms`);

      switch (outcome.type) {
        case 'ok':
          return outcome.value as T;
        case 'audit':
          return outcome.audit;
        case 'undecodable':
          throw outcome.error;
        case 'unauthorized':
          if (accessToken !== undefined && !refreshedToken) {
            refreshedToken = true;
            this.tokens.invalidate(accessToken);
            continue;
          }
          throw new AuthenticationError(outcome.error.code, outcome.error.message, outcome.error.traceId);
        case 'rateLimited': {
          const wait = outcome.retryAfter ?? backoffDelay(retriesUsed, this.#backoff);
          if (outcome.global) this.#limits.pauseGlobal(wait);
          else this.#limits.pauseRoute(key, wait);
          this.emit('rateLimited', {
            method,
            route,
            key,
            wait,
            global: outcome.global,
            code: outcome.error.code,
            attempt: retriesUsed,
          });
          this.#log.warn(`${template} rate limited (code ${outcome.error.code}); waiting ${wait} ms`);
          if (retriesUsed >= this.#retries) {
            throw new RateLimitedError(method, route, wait, outcome.error.code, outcome.error.traceId);
          }
          retriesUsed++;
          continue; // the pause is enforced by the queue the retry goes through
        }
        case 'serverError': {
          const resendable =
            IDEMPOTENT.has(method) ||
            NOT_PROCESSED.has(outcome.error.status) ||
            (outcome.error.status === 504 && options.retryOnTimeout === true);
          if (resendable && retriesUsed < this.#retries) {
            await sleep(backoffDelay(retriesUsed++, this.#backoff), signal);
            continue;
          }
          throw outcome.error;
        }
        case 'clientError':
          throw outcome.error;
      }
    }
  }

  /** Closes idle keep-alive sockets and timers; in-flight requests finish first. */
  public destroy(): void {
    this.#limits.destroy();
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /**
   * The got instance that sends `accessToken`. The token changes every two hours or so; setting
   * it once per token, not per request, spares got merging and lower-casing it every time.
   */
  #httpWithToken(accessToken: string): Got {
    if (this.#authorized?.accessToken !== accessToken) {
      this.#authorized = {
        accessToken,
        http: this.#http.extend({ headers: { authorization: authorization(accessToken) } }),
      };
    }
    return this.#authorized.http;
  }

  async #send(
    url: string,
    options: RequestOptions,
    accessToken: string | undefined,
    timeout: number,
  ): Promise<Outcome> {
    // The caller's headers may replace the defaults, never the credentials.
    const headers =
      accessToken !== undefined && options.headers !== undefined
        ? { ...options.headers, authorization: authorization(accessToken) }
        : options.headers;
    const send = accessToken === undefined ? this.#http : this.#httpWithToken(accessToken);

    const hasFiles = options.files !== undefined && Object.keys(options.files).length > 0;
    const response = await withDeadline(
      send(url, {
        method: options.method,
        ...(headers === undefined ? {} : { headers }),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(hasFiles && options.files
          ? { body: toFormData(options.body, options.files) }
          : options.body === undefined
            ? {}
            : { json: options.body }),
      }),
      timeout,
    );
    return classifyResponse(
      {
        status: response.statusCode,
        statusText: response.statusMessage ?? '',
        body: response.body,
        traceId: firstHeader(response.headers['x-tps-trace-id']),
        retryAfter: firstHeader(response.headers['retry-after']),
      },
      options.method,
      options.route,
      options.auditable === true,
    );
  }
}

/** Token failures worth another try: the endpoint was unreachable, slow, or answered 5xx/429. */
function isTokenOutage(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    (error instanceof ApiError && (error.status >= 500 || error.status === 429))
  );
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

function positive(field: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ValidationError(field, 'must be a positive number');
  return value;
}

function nonNegative(field: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0))
    throw new ValidationError(field, 'must be a non-negative integer');
  return value;
}
