import type { Agent } from 'node:http';
import {
  AbortFanout,
  type BotLogger,
  childLogger,
  createLogger,
  type FanoutWait,
  typedEventEmitter,
  ValidationError,
  messageOf,
  optionalBoolean,
} from '@bot/core';
import { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import { requireToken } from '../auth/Token.js';
import { type RichFallbackOptions, sendWithRichFallback } from '../messages/richContentFallback.js';
import type { AbortedAfterSendError } from '../errors/AbortedAfterSendError.js';
import type { ApiError } from '../errors/ApiError.js';
import type { AuthenticationError } from '../errors/AuthenticationError.js';
import type { ConnectionQueueFullError } from '../errors/ConnectionQueueFullError.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import type { DecodeError } from '../errors/DecodeError.js';
import type { DuplicateSendError } from '../errors/DuplicateSendError.js';
import type { NetworkError } from '../errors/NetworkError.js';
import type { RateLimitedError } from '../errors/RateLimitedError.js';
import type { ResponseTooLargeError } from '../errors/ResponseTooLargeError.js';
import type { TimeoutError } from '../errors/TimeoutError.js';
import {
  attachCallSiteToFailure,
  captureCallSite,
  currentEntrySite,
  failWithAwaitingCallers,
} from './callSite.js';
import type { PendingAudit } from './PendingAudit.js';
import { RateLimitManager } from './ratelimit/RateLimitManager.js';
import type { RequestOptions } from './RequestOptions.js';
import { RequestLoop } from './RequestLoop.js';
import {
  resolveBaseUrl,
  resolveCallBudget,
  resolveMaxSockets,
  resolveMaxWaitingForConnection,
  resolveUserAgent,
  type RestClientOptions,
  type RestEvents,
} from './RestClientOptions.js';
import { ConnectionBound } from './ConnectionBound.js';
import { createHttp, type KeepAliveAgents } from './sendAttempt.js';

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
 * `retryOnTimeout`, is re-sent after a 504); it may have been delivered all the same. HTTP 401 or
 * code `11244` refreshes the token and retries once, even with `retries: 0`: that retry is not
 * counted against `retries`, every other one is. Every retry counts against the call's timeout.
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
  readonly #agents: KeepAliveAgents;
  readonly #limits: RateLimitManager;
  readonly #loop: RequestLoop;
  /** The rich-content fallback, when enabled. */
  readonly #fallback: RichFallbackOptions | undefined;
  /** Whether each request captures its caller's frames when made (the `callSites` option). */
  readonly #callSites: boolean;
  /** The timeout of a call that sets none. */
  readonly #timeout: number;
  readonly #log: BotLogger;
  /**
   * Aborted by `destroy()`. Two listeners end everything: `InFlightRequests` cancels every attempt
   * on the wire, `#closing` every wait (token, back-off, a media upload).
   */
  readonly #closed = new AbortController();
  /** The one listener on `#closed` for every wait that must end with the client. */
  readonly #closing = new AbortFanout(this.#closed.signal);

  /**
   * @param options - credentials, environment, timeouts, retries, pacing and logging
   * @throws {@link ValidationError} for no options, a `token` missing or not a `Token` (unless
   *   `tokens` is given), a URL that is not http(s), a duration or count out of range, or a
   *   `userAgent` a header cannot carry
   */
  public constructor(options: RestClientOptions) {
    super();
    // Checked first, as a TypeError from deep inside would not say which setting to fix.
    if (typeof options !== 'object' || options === null)
      throw new ValidationError('options', 'is missing: pass { token: new Token(appId, secret) }');
    if (options.tokens === undefined) requireToken(options.token, 'token');
    const logger = options.logger ?? createLogger();
    this.baseUrl = resolveBaseUrl(options);
    this.tokens =
      options.tokens ??
      new AccessTokenProvider(options.token, {
        logger,
        signal: this.#closed.signal,
        ...(options.tokenUrl === undefined ? {} : { tokenUrl: options.tokenUrl }),
      });
    this.#log = childLogger(logger, 'rest');
    const budget = resolveCallBudget(options);
    this.#timeout = budget.timeout;
    const fallback = options.richContentFallback;
    this.#fallback = fallback === true ? {} : fallback === false ? undefined : fallback;
    this.#callSites = optionalBoolean(options.callSites, 'callSites') ?? false;
    this.#limits = new RateLimitManager(options.rateLimits);
    const maxSockets = resolveMaxSockets(options);
    const maxWaiting = resolveMaxWaitingForConnection(options);
    const { http, agents } = createHttp(this.tokens.appId, resolveUserAgent(options), maxSockets);
    this.#agents = agents;
    this.#loop = new RequestLoop({
      baseUrl: this.baseUrl,
      tokens: this.tokens,
      limits: this.#limits,
      http,
      closing: this.#closing,
      log: this.#log,
      budget,
      connections: new ConnectionBound(
        new URL(this.baseUrl).protocol === 'https:' ? agents.https : agents.http,
        maxSockets,
        maxWaiting,
      ),
      onRateLimited: (event) => this.#emitSafely('rateLimited', event),
      attempts: {
        listening: () => this.listenerCount('attempt') > 0,
        report: (event) => this.#emitSafely('attempt', event),
      },
    });
  }

  /**
   * Requests waiting for their turn in a route queue (not yet on the wire). Calls waiting for a
   * free connection are not among them: see {@link RestClient.waitingForConnection}.
   */
  public get queuedRequests(): number {
    return this.#limits.queued;
  }

  /**
   * Calls past `maxSockets`: their turn came, and they wait for one of the client's connections to
   * come free. Each holds its request (some 30 KB) until it gets one or its `timeout` ends it,
   * unsent; a figure that stays high means the platform answers slower than calls are made. At
   * most `maxWaitingForConnection`: calls past it are refused with a `ConnectionQueueFullError`.
   * Calls that ended while waiting (timed out, cancelled) are not counted here, though Node keeps
   * them until a connection comes free and the bound counts them. Read from the connection pool on
   * each read (a walk over the waiting calls).
   */
  public get waitingForConnection(): number {
    return waitingIn(this.#agents.http) + waitingIn(this.#agents.https);
  }

  /**
   * Aborted when {@link RestClient.destroy} is called. Work that runs beside the client's own
   * requests (a media upload's part PUTs, its back-off waits) joins it through
   * {@link RestClient.joinClosing}, which keeps one listener here for all of it.
   */
  public get closing(): AbortSignal {
    return this.#closed.signal;
  }

  /**
   * Joins work that must end with the client (a media upload) to its one listener on
   * {@link RestClient.closing}, so work in progress adds no listener there. The signal it gives
   * aborts with the client's reason when {@link RestClient.destroy} is called (is `closing`, after):
   * a {@link ClientDestroyedError} without a method or route.
   *
   * ```ts
   * const joined = rest.joinClosing();
   * try {
   *   await work(joined.signal);
   * } finally {
   *   joined.leave();
   * }
   * ```
   *
   * @returns the work's signal, and `leave()`, to be called once the work is over
   */
  public joinClosing(): FanoutWait {
    return this.#closing.join();
  }

  /**
   * The client's logger (a sub-logger named `rest` of the one it was given). What is built on the
   * client logs through it: a `MediaUploader` reports a throwing progress callback and a spool
   * file it could not remove there.
   */
  public get logger(): BotLogger {
    return this.#log;
  }

  /** The bot's AppID (sent as `X-Union-Appid`, and needed by interaction callbacks). */
  public get appId(): string {
    return this.tokens.appId;
  }

  /**
   * Sends one request and resolves its parsed JSON body (`undefined` for an empty 204 answer).
   * The stack of each of the framework's errors below ends with the frames of the code awaiting
   * this call, or, with the `callSites` option, of the code that made it (see that option).
   *
   * @param options - method, route template and its parameters, query, body or files, signal, timeout
   * @returns the body, or a {@link PendingAudit} when `auditable` is set and the platform holds the message for audit
   * @throws {@link ValidationError} before sending, when the method or a route parameter is wrong
   * @throws {@link ApiError} for an error answer, {@link DuplicateSendError} when a re-send after a
   *   failure that may have reached the platform is refused as a duplicate, {@link DecodeError} for a 2xx answer whose body is
   *   not JSON, {@link RateLimitedError} when still limited after the retries, {@link AuthenticationError} when a fresh token is refused too, {@link NetworkError},
   *   {@link TimeoutError}, {@link ResponseTooLargeError} for an answer over `maxResponseBytes`,
   *   {@link ConnectionQueueFullError}, unsent, past `maxSockets` + `maxWaitingForConnection`,
   *   {@link ClientDestroyedError} once the client is destroyed
   * @throws the signal's reason when the signal stops the call before it could have landed, as it
   *   is (its stack untouched), or {@link AbortedAfterSendError}, with the reason as cause, when it
   *   cuts off a POST whose body may have reached the platform
   */
  public request<T>(options: RequestOptions & { auditable: true }): Promise<T | PendingAudit>;
  public request<T>(options: RequestOptions): Promise<T>;
  public request<T>(options: RequestOptions): Promise<T | PendingAudit> {
    // The caller's frames, for the stack of a failure that happens in a later turn: captured now
    // with `callSites`, else those a public method (a model's reply()) recorded, else read from
    // the functions awaiting the call when it fails, so that a success costs no capture.
    const site = this.#callSites ? captureCallSite(options) : currentEntrySite();
    const signal = options.signal;
    if (site === undefined) {
      // No closure unless there is a signal, whose reason keeps its stack.
      return signal === undefined
        ? this.#send<T>(options).catch(failWithAwaitingCallers)
        : this.#send<T>(options).catch((error: unknown) => failWithAwaitingCallers(error, signal));
    }
    return this.#send<T>(options).catch((error: unknown) => {
      attachCallSiteToFailure(error, site, signal);
      throw error;
    });
  }

  #send<T>(options: RequestOptions): Promise<T | PendingAudit> {
    if (this.#fallback === undefined) return this.#loop.run<T>(options);
    const policy = this.#fallback;
    return sendWithRichFallback(
      (attempt) => this.#loop.run<T>(attempt),
      options,
      options.timeout ?? this.#timeout,
      policy,
      (report) => {
        // The plain text was delivered: a throwing callback is logged, not made the call's failure.
        try {
          policy.onFallback?.(report);
        } catch (error) {
          this.#log.error(`the richContentFallback onFallback callback threw: ${messageOf(error)}`);
        }
        this.#emitSafely('richContentFallback', report);
      },
    );
  }

  /**
   * Calls each listener of `event` in turn. A listener is the user's code (a metrics exporter, a
   * dashboard): one that throws is logged, and fails neither the call being reported on nor the
   * listeners after it. `once` listeners are called through their wrappers, which remove them.
   */
  #emitSafely<E extends keyof RestEvents>(event: E, ...args: Parameters<RestEvents[E]>): void {
    for (const listener of this.rawListeners(event)) {
      try {
        (listener as (...values: Parameters<RestEvents[E]>) => void).apply(this, args);
      } catch (error) {
        this.#log.error(`a ${event} event listener threw: ${messageOf(error)}`);
      }
    }
  }

  /**
   * Ends the client: every request still waiting — for a token, a queue slot, a rate-limit pause or
   * a back-off — or still sending — resolving the host, connecting, on the wire — fails at once
   * with a `ClientDestroyedError`, as do later requests; keep-alive
   * sockets close and no timer is left. The token fetch of the provider this client created ends
   * too; a provider passed in as `tokens` may serve other clients and ends with its own `signal`.
   */
  public destroy(): void {
    if (!this.#closed.signal.aborted) this.#closed.abort(new ClientDestroyedError(undefined, undefined));
    this.#limits.destroy(this.#closed.signal.reason as Error);
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }
}

/**
 * The requests an agent holds until one of its sockets comes free, over every host. One ended
 * (timed out, cancelled) while it waited stays in the agent's queue until a socket frees, and is
 * passed over then: it is not counted.
 */
function waitingIn(agent: Agent): number {
  let waiting = 0;
  for (const queue of Object.values(agent.requests))
    for (const request of queue ?? []) if (!request.destroyed) waiting++;
  return waiting;
}
