import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import { authorization } from '../auth/authorization.js';
import { PRODUCTION_API_URL, SANDBOX_API_URL } from '../environments.js';
import { ApiError } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import type { DecodeError } from '../errors/DecodeError.js';
import { DUPLICATE_MSG_SEQ_CODE, DuplicateSendError } from '../errors/DuplicateSendError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { RateLimitedError, type RateLimitBound } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import {
  backoffDelay,
  type BackoffOptions,
  type BotLogger,
  childLogger,
  createLogger,
  DeadlineExceededError,
  isPlainObject,
  type OptionalSignal,
  raceAbort,
  requireDuration,
  requireHttpUrl,
  sleep,
  typedEventEmitter,
  ValidationError,
  withDeadline,
} from '@bot/core';
import { describeNetworkError, isGotTimeout, sanitizedCause } from '../util/gotErrors.js';
import { toFormData } from './body.js';
import type { PendingAudit } from './PendingAudit.js';
import { PauseTooLongError } from './ratelimit/PauseTooLongError.js';
import { RateLimitManager } from './ratelimit/RateLimitManager.js';
import type { HttpMethod, RequestOptions } from './RequestOptions.js';
import type { RestClientOptions, RestEvents } from './RestClientOptions.js';
import { classifyResponse, type Outcome } from './response.js';
import { fillRoute, routeKey, withQuery } from './routes.js';

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose repetition has the same effect as one call: safe to re-send whatever happened. */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'PATCH', 'DELETE']);
/**
 * Body fields by which the platform recognises a repeated message send: a reply re-sent with the
 * same `msg_id`/`event_id` and `msg_seq` is refused as a duplicate instead of posted twice.
 */
const DEDUPE_FIELDS = ['msg_seq', 'msg_id', 'event_id'] as const;
/** Failures that happen before a request leaves the machine: re-sending cannot duplicate it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** `reason` of the {@link NetworkError} of a request cut short by {@link RestClient.destroy}. */
const DESTROYED = 'client destroyed';
const USER_AGENT = 'QQBotFramework (@bot/http, 0.1.0)';

/**
 * The QQ REST transport: authenticates, paces, sends and retries requests, and maps failures to
 * typed errors. Endpoint methods live on `BotApi`; use `request` directly for anything else.
 *
 * Limits: `timeout` bounds the whole call — the access token, queue and rate-limit waits, every
 * attempt and back-off — and the call's `signal` ends all of it. A rate-limit wait is capped by
 * `maxRateLimitWait`; a request whose wait exceeds that cap or the time its timeout leaves fails
 * at once with a {@link RateLimitedError}.
 *
 * Retry rules: HTTP 429 and code `22009` pause the route they were met on (`Retry-After` when
 * given, back-off otherwise) and retry. A failure before the request left the machine (connection
 * refused, DNS) is retried. A failure that may have reached the platform (a 5xx answer, a
 * connection lost after sending) is retried only when re-sending cannot duplicate an effect: the
 * method is idempotent (GET, PUT, PATCH, DELETE), or the body carries `msg_seq`, `msg_id` or
 * `event_id`, by which the platform refuses a duplicate send; a POST without them gets the error
 * at once (or, with `retryOnTimeout`, is re-sent after a 504). HTTP 401 or code `11244` refreshes
 * the token and retries once. Every retry counts against `retries` and the call's timeout.
 *
 * A re-send after a failure that may have reached the platform, refused as a duplicate (code
 * `40054005`), means the earlier attempt was most probably delivered: the call fails with a
 * {@link DuplicateSendError}, never with a plain {@link ApiError}, so a caller does not send the
 * message again under a new `msg_seq`.
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
  readonly #maxRateLimitWait: number;
  /** Aborted by `destroy()`: every wait of every request listens to it. */
  readonly #closed = new AbortController();
  /** `#http` with the current token's `authorization` set, made again when the token changes. */
  #authorized: { accessToken: string; http: Got } | undefined;

  /**
   * @param options - credentials, environment, timeouts, retries, pacing and logging
   * @throws {@link ValidationError} for a URL that is not http(s), or a duration or count out of range
   */
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
    this.#timeout = requireDuration(options.timeout ?? 15_000, 'timeout');
    this.#retries = nonNegative('retries', options.retries ?? 3);
    this.#backoff = backoffOptions(options.backoff ?? { base: 500, max: 30_000 });
    this.#maxRateLimitWait = requireDuration(options.maxRateLimitWait ?? 60_000, 'maxRateLimitWait');
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
   * @throws {@link ApiError} for an error answer, {@link DuplicateSendError} when a re-send after a
   *   failure that may have reached the platform is refused as a duplicate, {@link DecodeError} for a 2xx answer whose body is
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
    const timeout =
      options.timeout === undefined ? this.#timeout : requireDuration(options.timeout, 'timeout');
    const deadline = Date.now() + timeout;

    let retriesUsed = 0;
    let refreshedToken = false;
    let attempt = 0;
    // Set once an attempt failed in a way that may have reached the platform and was re-sent.
    let mayHaveLanded: Error | undefined;
    for (;;) {
      signal?.throwIfAborted();
      if (this.#closed.signal.aborted) throw new NetworkError(method, route, DESTROYED);
      let accessToken: string | undefined;
      if (options.unauthenticated !== true) {
        accessToken = this.tokens.current();
        if (accessToken === undefined) {
          try {
            accessToken = await this.#waitForToken(method, route, timeout, deadline, signal);
          } catch (error) {
            // An unreachable or failing token endpoint is an outage like any other: retry it within
            // the same budget. Refused credentials (AuthenticationError) are final.
            if (isTokenOutage(error) && retriesUsed < this.#retries) {
              this.#log.debug(
                `${template}: token endpoint unavailable (${(error as Error).message}); retrying`,
              );
              await this.#backOff(retriesUsed++, error as Error, deadline, method, route, signal);
              continue;
            }
            throw error;
          }
        }
      }
      const startedAt = Date.now();
      attempt++;
      let outcome: Outcome;
      try {
        outcome = await this.#limits.schedule(
          key,
          template,
          () => this.#send(url, options, accessToken, deadline, timeout),
          signal,
          deadline,
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (this.#closed.signal.aborted) throw new NetworkError(method, route, DESTROYED);
        if (error instanceof PauseTooLongError) {
          throw new RateLimitedError(method, route, error.wait, error.code, undefined, 'timeout');
        }
        if (isGotTimeout(error)) {
          // The timeout bounds the whole call: nothing is left for another attempt.
          this.#log.debug(`${template} timed out after ${timeout} ms (attempt ${retriesUsed})`);
          throw new TimeoutError(method, route, timeout);
        }
        const reason = describeNetworkError(error);
        this.#log.debug(`${template} failed on the network: ${reason} (attempt ${retriesUsed})`);
        const failure = new NetworkError(method, route, reason, sanitizedCause(error));
        if ((NEVER_SENT.has(reason) || mayResend(options, false)) && retriesUsed < this.#retries) {
          if (!NEVER_SENT.has(reason)) mayHaveLanded ??= failure;
          await this.#backOff(retriesUsed++, failure, deadline, method, route, signal);
          continue;
        }
        throw failure;
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
          const { code, traceId } = outcome.error;
          const asked = outcome.retryAfter ?? backoffDelay(retriesUsed, this.#backoff);
          // However long the platform asks for, the route (or every route) pauses at most the cap.
          const wait = Math.min(asked, this.#maxRateLimitWait);
          if (outcome.global) this.#limits.pauseGlobal(wait, code);
          else this.#limits.pauseRoute(key, wait, code);
          this.emit('rateLimited', {
            method,
            route,
            key,
            wait,
            global: outcome.global,
            code,
            attempt: retriesUsed,
          });
          const exceeded: RateLimitBound | undefined =
            asked > this.#maxRateLimitWait
              ? 'maxRateLimitWait'
              : Date.now() + asked >= deadline
                ? 'timeout'
                : retriesUsed >= this.#retries
                  ? 'retries'
                  : undefined;
          this.#log.warn(
            `${template} rate limited (code ${code}); ` +
              (exceeded === undefined
                ? `waiting ${wait} ms`
                : `asked to wait ${asked} ms; giving up (${exceeded})`),
          );
          if (exceeded !== undefined)
            throw new RateLimitedError(method, route, asked, code, traceId, exceeded);
          retriesUsed++;
          continue; // the pause is enforced by the queue the retry goes through
        }
        case 'serverError':
          if (mayResend(options, outcome.error.status === 504) && retriesUsed < this.#retries) {
            mayHaveLanded ??= outcome.error;
            await this.#backOff(retriesUsed++, outcome.error, deadline, method, route, signal);
            continue;
          }
          throw outcome.error;
        case 'clientError':
          if (mayHaveLanded !== undefined && outcome.error.code === DUPLICATE_MSG_SEQ_CODE)
            throw new DuplicateSendError(outcome.error, attempt, mayHaveLanded);
          throw outcome.error;
      }
    }
  }

  /**
   * Ends the client: every request still waiting — for a token, a queue slot, a rate-limit pause or
   * a back-off — fails at once with a {@link NetworkError} of reason `client destroyed`, as do later
   * requests; keep-alive sockets close (requests on the wire fail with them), and no timer is left.
   */
  public destroy(): void {
    if (!this.#closed.signal.aborted) this.#closed.abort(new Error('the REST client was destroyed'));
    this.#limits.destroy(this.#closed.signal.reason as Error);
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /**
   * Waits for the token being fetched (one fetch is shared by every caller) at most until the
   * call's deadline. Giving up does not cancel the fetch: it goes on, under its own timeout, for
   * the other callers waiting on it.
   */
  async #waitForToken(
    method: HttpMethod,
    route: string,
    timeout: number,
    deadline: number,
    signal: OptionalSignal,
  ): Promise<string> {
    try {
      return await raceAbort(this.tokens.get(), [signal, this.#closed.signal], {
        ms: deadline - Date.now(),
        error: () => new TimeoutError(method, route, timeout),
      });
    } catch (error) {
      if (this.#closed.signal.aborted && !signal?.aborted) throw new NetworkError(method, route, DESTROYED);
      throw error;
    }
  }

  /**
   * Sleeps before retry number `attempt + 1`, or, when that sleep would outlast the call's
   * deadline, ends the call at once with `failure`, the reason for the retry.
   */
  async #backOff(
    attempt: number,
    failure: Error,
    deadline: number,
    method: HttpMethod,
    route: string,
    signal: OptionalSignal,
  ): Promise<void> {
    const ms = backoffDelay(attempt, this.#backoff);
    if (Date.now() + ms >= deadline) throw failure;
    try {
      await sleep(ms, signal, this.#closed.signal);
    } catch (error) {
      if (this.#closed.signal.aborted && !signal?.aborted) throw new NetworkError(method, route, DESTROYED);
      throw error;
    }
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
    deadline: number,
    timeout: number,
  ): Promise<Outcome> {
    const left = deadline - Date.now();
    if (left <= 0) throw new DeadlineExceededError(timeout);
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
      left,
    );
    return classifyResponse(
      {
        status: response.statusCode,
        statusText: response.statusMessage ?? '',
        body: response.body,
        headers: response.headers,
      },
      options.method,
      options.route,
      options.auditable === true,
    );
  }
}

/**
 * Whether a request may be sent again after a failure that may have reached the platform: its
 * method is idempotent, its body carries a field the platform deduplicates sends by, or the caller
 * allowed it (`retryOnTimeout`) and the failure was a gateway timeout.
 */
function mayResend(options: RequestOptions, gatewayTimeout: boolean): boolean {
  return (
    IDEMPOTENT.has(options.method) ||
    carriesDedupeKey(options.body) ||
    (gatewayTimeout && options.retryOnTimeout === true)
  );
}

function carriesDedupeKey(body: unknown): boolean {
  if (!isPlainObject(body)) return false;
  return DEDUPE_FIELDS.some((field) => {
    const value = body[field];
    return value !== undefined && value !== null && value !== '';
  });
}

/** Token failures worth another try: the endpoint was unreachable, slow, or answered 5xx/429. */
function isTokenOutage(error: unknown): boolean {
  return (
    error instanceof NetworkError ||
    error instanceof TimeoutError ||
    (error instanceof ApiError && (error.status >= 500 || error.status === 429))
  );
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
