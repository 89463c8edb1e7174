import { setMaxListeners } from 'node:events';
import type { Got } from 'got';
import {
  backoffDelay,
  type BackoffOptions,
  type BotLogger,
  childLogger,
  createLogger,
  onFirstAbort,
  requireDuration,
  typedEventEmitter,
  ValidationError,
} from '@bot/core';
import { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import { authorization } from '../auth/authorization.js';
import type { ApiError } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import type { DecodeError } from '../errors/DecodeError.js';
import type { DuplicateSendError } from '../errors/DuplicateSendError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { describeNetworkError, isGotTimeout, sanitizedCause } from '../util/gotErrors.js';
import { backOff, destroyedError, waitForToken } from './callWaits.js';
import type { PendingAudit } from './PendingAudit.js';
import { PauseTooLongError } from './ratelimit/PauseTooLongError.js';
import { QueueFullError } from './ratelimit/QueueFullError.js';
import { RateLimitManager } from './ratelimit/RateLimitManager.js';
import type { HttpMethod, RequestOptions } from './RequestOptions.js';
import {
  resolveBaseUrl,
  resolveCallBudget,
  type RestClientOptions,
  type RestEvents,
} from './RestClientOptions.js';
import type { Outcome } from './response.js';
import { isTokenOutage, mayResend, rateLimitGiveUp, refusalError, wasNeverSent } from './retryRules.js';
import { fillRoute, routeKey, withQuery } from './routes.js';
import { createHttp, type KeepAliveAgents, sendAttempt } from './sendAttempt.js';

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
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
 * method is idempotent (GET, PUT, PATCH, DELETE), or the body carries `msg_seq` together with
 * `msg_id` or `event_id`, the pair by which the platform refuses a repeated group or C2C send.
 * Any other POST — a guild channel or DM send among them — gets the error at once (or, with
 * `retryOnTimeout`, is re-sent after a 504); it may have been delivered all the same. HTTP 401 or code `11244` refreshes
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
  readonly #agents: KeepAliveAgents;
  readonly #limits: RateLimitManager;
  readonly #log: BotLogger;
  readonly #timeout: number;
  readonly #retries: number;
  readonly #backoff: BackoffOptions;
  readonly #maxRateLimitWait: number;
  /** Aborted by `destroy()`: every wait and every attempt of every request listens to it. */
  readonly #closed = new AbortController();
  /** `#http` with the current token's `authorization` set, made again when the token changes. */
  #authorized: { accessToken: string; http: Got } | undefined;

  /**
   * @param options - credentials, environment, timeouts, retries, pacing and logging
   * @throws {@link ValidationError} for a URL that is not http(s), or a duration or count out of range
   */
  public constructor(options: RestClientOptions) {
    super();
    // One listener per request in flight; their number is bounded by the route queues, not by 10.
    setMaxListeners(0, this.#closed.signal);
    const logger = options.logger ?? createLogger();
    this.#log = childLogger(logger, 'rest');
    this.baseUrl = resolveBaseUrl(options);
    this.tokens =
      options.tokens ??
      new AccessTokenProvider(options.token, {
        logger,
        signal: this.#closed.signal,
        ...(options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl }),
      });
    const budget = resolveCallBudget(options);
    this.#timeout = budget.timeout;
    this.#retries = budget.retries;
    this.#backoff = budget.backoff;
    this.#maxRateLimitWait = budget.maxRateLimitWait;
    this.#limits = new RateLimitManager(options.rateLimits);
    const { http, agents } = createHttp(this.tokens.appId, options.userAgent);
    this.#http = http;
    this.#agents = agents;
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
    // What ends an attempt wherever it is: the client's end, and the caller's signal when there is
    // one (linked here, not with `AbortSignal.any`, whose links to a long-lived signal outlive the call).
    let attemptSignal = this.#closed.signal;
    let unlink: (() => void) | undefined;
    if (signal !== undefined) {
      const linked = new AbortController();
      unlink = onFirstAbort([signal, this.#closed.signal], (reason) => linked.abort(reason));
      attemptSignal = linked.signal;
    }
    try {
      let retriesUsed = 0;
      let refreshedToken = false;
      let attempt = 0;
      // Set once an attempt failed in a way that may have reached the platform and was re-sent.
      let mayHaveLanded: Error | undefined;
      for (;;) {
        signal?.throwIfAborted();
        if (this.#closed.signal.aborted) throw destroyedError(method, route);
        let accessToken: string | undefined;
        if (options.unauthenticated !== true) {
          accessToken = this.tokens.current();
          if (accessToken === undefined) {
            try {
              const closed = this.#closed.signal;
              accessToken = await waitForToken(this.tokens, closed, method, route, signal, timeout, deadline);
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
            () =>
              sendAttempt(
                this.#httpFor(accessToken),
                url,
                options,
                accessToken,
                deadline,
                timeout,
                attemptSignal,
              ),
            signal,
            deadline,
          );
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (this.#closed.signal.aborted) throw destroyedError(method, route);
          if (error instanceof PauseTooLongError) {
            throw new RateLimitedError(method, route, error.wait, error.code, undefined, 'timeout');
          }
          if (error instanceof QueueFullError) {
            this.#log.warn(`${template} refused: ${error.message}`);
            throw new RateLimitedError(method, route, 0, 429, undefined, 'maxQueued');
          }
          if (isGotTimeout(error)) {
            // The timeout bounds the whole call: nothing is left for another attempt.
            this.#log.debug(`${template} timed out after ${timeout} ms (attempt ${retriesUsed})`);
            throw new TimeoutError(method, route, timeout);
          }
          const reason = describeNetworkError(error);
          this.#log.debug(`${template} failed on the network: ${reason} (attempt ${retriesUsed})`);
          const failure = new NetworkError(method, route, reason, sanitizedCause(error));
          const neverSent = wasNeverSent(reason);
          if ((neverSent || mayResend(options, false)) && retriesUsed < this.#retries) {
            if (!neverSent) mayHaveLanded ??= failure;
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
            const exceeded = rateLimitGiveUp({
              asked,
              maxWait: this.#maxRateLimitWait,
              now: Date.now(),
              deadline,
              retriesUsed,
              retries: this.#retries,
            });
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
            throw refusalError(outcome.error, attempt, mayHaveLanded);
        }
      }
    } finally {
      unlink?.();
    }
  }

  /**
   * Ends the client: every request still waiting — for a token, a queue slot, a rate-limit pause or
   * a back-off — or still sending — resolving the host, connecting, on the wire — fails at once
   * with a {@link NetworkError} of reason `client destroyed`, as do later requests; keep-alive
   * sockets close and no timer is left. The token fetch of the provider this client created ends
   * too; a provider passed in as `tokens` may serve other clients and ends with its own `signal`.
   */
  public destroy(): void {
    if (!this.#closed.signal.aborted) this.#closed.abort(new Error('the REST client was destroyed'));
    this.#limits.destroy(this.#closed.signal.reason as Error);
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /** The back-off before retry number `attempt + 1`; see {@link backOff}. */
  #backOff(
    attempt: number,
    failure: Error,
    deadline: number,
    method: HttpMethod,
    route: string,
    signal: RequestOptions['signal'],
  ): Promise<void> {
    const ms = backoffDelay(attempt, this.#backoff);
    return backOff(ms, failure, deadline, this.#closed.signal, method, route, signal);
  }

  /**
   * The got instance that sends `accessToken` (none: the plain one). The token changes every two
   * hours or so; setting it once per token, not per request, spares got merging and lower-casing
   * it every time.
   */
  #httpFor(accessToken: string | undefined): Got {
    if (accessToken === undefined) return this.#http;
    if (this.#authorized?.accessToken !== accessToken) {
      this.#authorized = {
        accessToken,
        http: this.#http.extend({ headers: { authorization: authorization(accessToken) } }),
      };
    }
    return this.#authorized.http;
  }
}
