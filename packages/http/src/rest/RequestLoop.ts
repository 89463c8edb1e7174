import { type Got, RequestError } from 'got';
import {
  type AbortFanout,
  backoffDelay,
  type BotLogger,
  type FanoutWait,
  requireDuration,
  steadyNow,
  ValidationError,
} from '@bot/core';
import type { AccessTokenProvider } from '../auth/AccessTokenProvider.js';
import { AbortedAfterSendError } from '../errors/AbortedAfterSendError.js';
import { afterAttempts } from '../errors/ApiError.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import { ConnectionQueueFullError } from '../errors/ConnectionQueueFullError.js';
import { repeatAdvice } from '../errors/delivery.js';
import { NetworkError } from '../errors/NetworkError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { ResponseTooLargeError } from '../errors/ResponseTooLargeError.js';
import {
  describeNetworkError,
  isConnectionFailure,
  isGotTimeout,
  sanitizedCause,
} from '../util/gotErrors.js';
import { AuthorizedHttp } from './AuthorizedHttp.js';
import { backOff, destroyedError, waitForToken } from './callWaits.js';
import { CallerSignals } from './CallerSignals.js';
import type { ConnectionBound } from './ConnectionBound.js';
import { InFlightRequests } from './InFlightRequests.js';
import type { PendingAudit } from './PendingAudit.js';
import { PauseTooLongError } from './ratelimit/PauseTooLongError.js';
import { QueueFullError } from './ratelimit/QueueFullError.js';
import { QueueTooDeepError } from './ratelimit/QueueTooDeepError.js';
import { TurnExpiredError } from './ratelimit/TurnExpiredError.js';
import type { QueuedFor, TimeSpent } from '../errors/TimeSpent.js';
import type { RateLimitManager } from './ratelimit/RateLimitManager.js';
import type { HttpMethod, RequestOptions } from './RequestOptions.js';
import type { CallBudget, RateLimitedEvent } from './RestClientOptions.js';
import type { Outcome } from './response.js';
import type { RestAttemptEvent, RestAttemptFailure } from './RestAttemptEvent.js';
import type { LimitPause } from './ratelimit/limitPause.js';
import { RateLimitedAnswers } from './RateLimitedAnswers.js';
import { isTokenOutage, mayResend, refusalError, retriesRefusal, wasNeverSent } from './retryRules.js';
import { routeTarget } from './routes.js';
import { sendAttempt } from './sendAttempt.js';
import { UnsentDeadlineError } from './UnsentDeadlineError.js';
import { wroteNothing } from './wroteNothing.js';
import { wireRequest } from './wireRequest.js';

// One `RestClient.request` call from start to end: the loop that gets a token, waits its turn,
// sends, and on each outcome returns, fails with a typed error, or tries again within the call's
// budget. The rules it decides by are in `retryRules.ts`, its waits in `callWaits.ts`, one attempt
// on the wire in `sendAttempt.ts`, what a rate-limited answer does in `RateLimitedAnswers.ts`; the
// client's construction and lifetime are `RestClient`'s.

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** tslog's level of `debug`. */
const DEBUG_LEVEL = 2;

/** What the calls of one client share, made once by the client. */
export interface RequestLoopParts {
  /** REST base URL requests go to. */
  baseUrl: string;
  /** The client's token provider. */
  tokens: AccessTokenProvider;
  /** The client's route queues and pauses. */
  limits: RateLimitManager;
  /** The client's got instance, without a token. */
  http: Got;
  /** The client's end: the calls' waits join it; its signal cancels every attempt on the wire. */
  closing: AbortFanout;
  /** The client's logger. */
  log: BotLogger;
  /** Timeout, retries, back-off and rate-limit cap of every call. */
  budget: CallBudget;
  /** How many attempts may be held by the connection pool (`maxSockets`, `maxWaitingForConnection`). */
  connections: ConnectionBound;
  /** Reports a rate-limited attempt (the client's `rateLimited` event). */
  onRateLimited: (event: RateLimitedEvent) => void;
  /** The client's `attempt` event: asked once per attempt whether anyone listens. */
  attempts: AttemptReports;
}

/** Where the attempts of a client's calls are reported (its `attempt` event). */
export interface AttemptReports {
  /** Whether the event has listeners; asked once per attempt, so none means no event is built. */
  listening(): boolean;
  /** Hands a finished attempt to the listeners, which must not throw into the call. */
  report(event: RestAttemptEvent): void;
}

/**
 * Where the time of a call that timed out went: `tokenMs` and `queueMs` waiting in this client,
 * the rest of its `timeout` (ending at `deadline`, on the steady clock) at the platform.
 */
function timeSpent(
  timeout: number,
  deadline: number,
  tokenMs: number,
  queueMs: number,
  queuedFor?: QueuedFor,
): TimeSpent {
  const elapsed = Math.round(timeout - (deadline - steadyNow()));
  const [token, queue] = [Math.round(tokenMs), Math.round(queueMs)];
  const figures = { tokenMs: token, queueMs: queue, platformMs: Math.max(0, elapsed - token - queue) };
  return queuedFor === undefined ? figures : { ...figures, queuedFor };
}

/**
 * The error of a call cut off by its caller's `signal` or by the client's `destroy()`. A POST that
 * may have reached the platform says so: an {@link AbortedAfterSendError} with the signal's reason
 * as its cause. Any other call the signal ends rejects with the signal's own reason: repeating it
 * cannot post anything twice. `destroy()` ends a call with a {@link ClientDestroyedError} whose
 * `mayHaveBeenSent` says whether it may have reached the platform. The caller's signal wins when
 * both ended the call.
 */
function cutOff(
  method: HttpMethod,
  route: string,
  signal: AbortSignal | undefined,
  mayHaveBeenSent: boolean,
): unknown {
  if (signal?.aborted === true)
    return mayHaveBeenSent && repeatAdvice(method, route, true) !== undefined
      ? new AbortedAfterSendError(method, route, signal.reason)
      : signal.reason;
  return new ClientDestroyedError(method, route, 'restClient', undefined, mayHaveBeenSent);
}

/** Runs the calls of one `RestClient`; see `RestClient` for the rules they follow. */
export class RequestLoop {
  readonly #baseUrl: string;
  readonly #tokens: AccessTokenProvider;
  readonly #limits: RateLimitManager;
  /** The client's got instance, and the one that sends the current token. */
  readonly #http: AuthorizedHttp;
  readonly #closed: AbortSignal;
  readonly #log: BotLogger;
  readonly #timeout: number;
  readonly #retries: number;
  readonly #backoff: CallBudget['backoff'];
  readonly #maxResponseBytes: number;
  /** What a rate-limited answer does: pause its route, tell the listeners, retry or give up. */
  readonly #rateLimited: RateLimitedAnswers;
  /** The client's attempts handed to the connection pool and not yet settled: their count is bounded. */
  readonly #inFlight: InFlightRequests;
  readonly #connections: ConnectionBound;
  /** The one listener on `#closed` that the calls' waits (token, back-off) share. */
  readonly #closing: AbortFanout;
  /** The one listener on each caller signal that the waits of the calls under it share. */
  readonly #callers = new CallerSignals();
  readonly #attempts: AttemptReports;

  /** @param parts - what every call of the client shares */
  public constructor(parts: RequestLoopParts) {
    this.#baseUrl = parts.baseUrl;
    this.#tokens = parts.tokens;
    this.#limits = parts.limits;
    this.#http = new AuthorizedHttp(parts.http);
    this.#closed = parts.closing.signal;
    this.#log = parts.log;
    this.#timeout = parts.budget.timeout;
    this.#retries = parts.budget.retries;
    this.#backoff = parts.budget.backoff;
    this.#maxResponseBytes = parts.budget.maxResponseBytes;
    this.#rateLimited = new RateLimitedAnswers(parts.limits, parts.budget, parts.onRateLimited, parts.log);
    this.#inFlight = new InFlightRequests(parts.closing.signal);
    this.#connections = parts.connections;
    this.#closing = parts.closing;
    this.#attempts = parts.attempts;
  }

  /**
   * Runs one call to its end; see `RestClient.request`.
   *
   * @param options - the request
   * @returns the parsed body, or a {@link PendingAudit} for an auditable message held for audit
   * @throws what `RestClient.request` documents
   */
  public async run<T>(options: RequestOptions): Promise<T | PendingAudit> {
    const { method, route, signal } = options;
    if (!METHODS.has(method))
      throw new ValidationError('method', `must be one of ${[...METHODS].join(', ')}`);
    const { path, key, template } = routeTarget(method, route, options.params, options.query);
    const request = wireRequest(this.#baseUrl + path, options, this.#maxResponseBytes);
    const timeout =
      options.timeout === undefined ? this.#timeout : requireDuration(options.timeout, 'timeout');
    // On the steady clock: a wall clock stepped either way (a time sync) neither stretches the call
    // nor cuts it short.
    const deadline = steadyNow() + timeout;
    let retriesUsed = 0;
    let refreshedToken = false;
    let mediaRetriesUsed = 0;
    let attempt = 0;
    // Set once an attempt failed in a way that may have reached the platform and was re-sent.
    let mayHaveLanded: Error | undefined;
    // Where the time went, for a timeout's message: waiting for a token, and in the route queue.
    let tokenMs = 0;
    let queueMs = 0;
    // The token wait already reported with an attempt: the next one reports only what came after.
    let tokenMsReported = 0;
    // The caller's signal as the call's waits hear it: one listener on it for all its calls'
    // waits (see `CallerSignals`), joined at the first wait, so a call that never waits joins nothing.
    let joined: FanoutWait | undefined;
    const waitSignal = (): AbortSignal | undefined =>
      signal === undefined ? undefined : (joined ??= this.#callers.join(signal)).signal;
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (this.#closed.aborted) throw destroyedError(method, route);
        let accessToken: string | undefined;
        if (options.unauthenticated !== true) {
          accessToken = this.#tokens.current();
          if (accessToken === undefined) {
            const askedAt = steadyNow();
            try {
              accessToken = await waitForToken(
                this.#tokens,
                this.#closing,
                method,
                route,
                waitSignal(),
                timeout,
                deadline,
              );
              tokenMs += steadyNow() - askedAt;
            } catch (error) {
              tokenMs += steadyNow() - askedAt;
              // The call's own deadline passed while it waited for the token: this attempt sent nothing.
              if (error instanceof TimeoutError && error.method === method && error.route === route)
                throw new TimeoutError(
                  method,
                  route,
                  timeout,
                  mayHaveLanded !== undefined,
                  timeSpent(timeout, deadline, tokenMs, queueMs),
                );
              // An unreachable or failing token endpoint is an outage like any other: retry it within
              // the same budget. Refused credentials (AuthenticationError) are final.
              if (isTokenOutage(error) && retriesUsed < this.#retries) {
                this.#log.debug(
                  `${template}: token endpoint unavailable (${(error as Error).message}); retrying`,
                );
                // Backing off from the token endpoint is still waiting for a token, not the platform's time.
                const backingOffAt = steadyNow();
                try {
                  await this.#backOff(retriesUsed++, error as Error, deadline, method, route, waitSignal());
                } finally {
                  tokenMs += steadyNow() - backingOffAt;
                }
                continue;
              }
              // The endpoint's error tells of the token request, not of this call's: after an
              // attempt that may have landed, the call fails with that attempt's failure.
              if (mayHaveLanded !== undefined && isTokenOutage(error)) throw mayHaveLanded;
              throw error;
            }
          }
        }
        const startedAt = steadyNow();
        attempt++;
        // Built only when listened to: this runs for every attempt. `sendAttempt` fills in the answer.
        const report: RestAttemptEvent | undefined = this.#attempts.listening()
          ? {
              method,
              route,
              status: undefined,
              failure: undefined,
              attempt,
              willRetry: false,
              tokenMs: tokenMs - tokenMsReported,
              queueMs: 0,
              platformMs: 0,
              traceId: undefined,
            }
          : undefined;
        tokenMsReported = tokenMs;
        let outcome: Outcome;
        let paused: LimitPause | undefined;
        // A limit pauses its route as soon as it is answered, before the route's queue lets the next send go.
        const pauseOnLimit = (answer: Outcome): Outcome => {
          if (answer.type === 'rateLimited') paused = this.#rateLimited.pause(answer, key, retriesUsed);
          return answer;
        };
        // Whether this attempt went to the wire: a timeout before it (in the queue) sent nothing.
        let onWire = false;
        // When it went to the wire, for the time it then waited for a connection (`maxSockets`).
        let onWireAt = 0;
        // Whether this attempt waits in its route's queue: then the time to its send is counted.
        let queued = false;
        try {
          const http = this.#http.for(accessToken);
          const send = (onSocket?: (at: number) => void): Promise<Outcome> => {
            // Its turn came as its time ran out: it leaves unsent, its wait the queue's, and no event.
            if (steadyNow() >= deadline) return Promise.reject(new UnsentDeadlineError(timeout));
            // Counted per attempt (tracked in `#inFlight` until it settles): a retry goes out after
            // its previous attempt left the count, and a token fetch is not an attempt of the
            // client's pool at all, so neither counts twice nor waits on the bound.
            const refused = this.#connections.refusal(
              this.#inFlight.size,
              method,
              route,
              mayHaveLanded !== undefined,
            );
            if (refused !== undefined) return Promise.reject(refused);
            onWire = true;
            onWireAt = steadyNow();
            if (queued) queueMs += onWireAt - startedAt;
            return sendAttempt(
              http,
              request,
              accessToken,
              deadline,
              timeout,
              this.#inFlight,
              report,
              onSocket,
            );
          };
          // A route with nothing to wait for goes straight to the wire (see `RateLimitManager.admit`).
          const admitted = this.#limits.admit(key, template);
          if (admitted === undefined) {
            queued = true;
            outcome = await this.#limits.schedule(
              key,
              template,
              (onSocket) => send(onSocket).then(pauseOnLimit),
              waitSignal(),
              deadline,
            );
          } else {
            try {
              outcome = pauseOnLimit(await send());
            } finally {
              this.#limits.release(admitted);
            }
          }
        } catch (error) {
          if (signal?.aborted || this.#closed.aborted) {
            // One cut off while it waited for a free connection had not left this client: no event.
            const hadSocket = error instanceof RequestError && error.timings?.socket !== undefined;
            if (report !== undefined && onWire && hadSocket)
              this.#report(report, 'aborted', false, queued, startedAt, onWireAt);
            // Cut off on the wire once its request was written, it may have reached the platform.
            const written =
              onWire && !(error instanceof RequestError && wroteNothing(error.timings, request.url));
            throw cutOff(method, route, signal, written || mayHaveLanded !== undefined);
          }
          if (error instanceof PauseTooLongError) {
            const { wait, code, global } = error;
            const landed = mayHaveLanded !== undefined;
            throw new RateLimitedError(method, route, wait, code, undefined, 'timeout', landed, wait, global);
          }
          if (error instanceof QueueTooDeepError) {
            const { wait, pauseMs, queued: behind } = error;
            const landed = mayHaveLanded !== undefined;
            throw new RateLimitedError(
              method,
              route,
              wait,
              429,
              undefined,
              'timeout',
              landed,
              pauseMs,
              false,
              behind,
            );
          }
          // Refused before it was handed to the connection pool: final, as retrying would pile on.
          // Not logged: an outage refuses every call, and each caller gets the error.
          if (error instanceof ConnectionQueueFullError) throw error;
          if (error instanceof QueueFullError) {
            this.#log.warn(`${template} refused: ${error.message}`);
            throw new RateLimitedError(
              method,
              route,
              0,
              429,
              undefined,
              'maxQueued',
              mayHaveLanded !== undefined,
            );
          }
          // The answer came, too large to read: the same request would draw it again.
          if (error instanceof ResponseTooLargeError) {
            if (report !== undefined) this.#report(report, 'tooLarge', false, queued, startedAt, onWireAt);
            throw error;
          }
          if (isGotTimeout(error)) {
            // The timeout bounds the whole call: nothing is left for another attempt.
            this.#log.debug(`${template} timed out after ${timeout} ms (attempt ${retriesUsed})`);
            // An attempt still opening its connection wrote nothing (see `UnsentDeadlineError`).
            const written = onWire && !(error instanceof UnsentDeadlineError);
            // Its time ran out in the queue: that wait counts as the queue's.
            if (queued && !onWire) queueMs += steadyNow() - startedAt;
            // Every connection it may open was taken: it waited in this client, not at the platform.
            const noSocket = error instanceof UnsentDeadlineError && error.waitedForSocket;
            if (noSocket && onWire) queueMs += steadyNow() - onWireAt;
            // One that never had a connection had not left this client either: no event.
            if (report !== undefined && onWire && !noSocket)
              this.#report(report, 'timeout', false, queued, startedAt, onWireAt);
            const queuedFor =
              error instanceof TurnExpiredError ? error.queuedFor : noSocket ? 'sockets' : undefined;
            throw new TimeoutError(
              method,
              route,
              timeout,
              written || mayHaveLanded !== undefined,
              timeSpent(timeout, deadline, tokenMs, queueMs, queuedFor),
            );
          }
          const reason = describeNetworkError(error);
          this.#log.debug(`${template} failed on the network: ${reason} (attempt ${retriesUsed})`);
          // The message names the host tried: a client pointed at the wrong one shows which.
          // A connection lost while still opening (in its TLS handshake) carried nothing either.
          const neverSent =
            wasNeverSent(reason) ||
            (error instanceof RequestError && wroteNothing(error.timings, request.url));
          const failure = new NetworkError(
            method,
            route,
            reason,
            sanitizedCause(error),
            this.#baseUrl + route,
            !neverSent || mayHaveLanded !== undefined,
          );
          // Only a failure of the connection is worth another try; anything else fails alike again.
          const retrying =
            isConnectionFailure(error) &&
            (neverSent || mayResend(options, false)) &&
            retriesUsed < this.#retries;
          if (report !== undefined && onWire)
            this.#report(report, 'network', retrying, queued, startedAt, onWireAt);
          if (retrying) {
            if (!neverSent) mayHaveLanded ??= failure;
            await this.#backOff(retriesUsed++, failure, deadline, method, route, waitSignal());
            continue;
          }
          throw failure;
        }
        // Built only when printed: this line runs for every answer.
        if (this.#log.settings.minLevel <= DEBUG_LEVEL)
          this.#log.debug(`${template} → ${outcome.type} in ${Math.round(steadyNow() - startedAt)} ms`);

        switch (outcome.type) {
          case 'ok':
            if (report !== undefined) this.#report(report, undefined, false, queued, startedAt, onWireAt);
            return outcome.value as T;
          case 'audit':
            if (report !== undefined) this.#report(report, undefined, false, queued, startedAt, onWireAt);
            return outcome.audit;
          case 'undecodable':
            if (report !== undefined) this.#report(report, undefined, false, queued, startedAt, onWireAt);
            throw outcome.error;
          case 'unauthorized':
            if (report !== undefined) {
              const refreshing = accessToken !== undefined && !refreshedToken;
              this.#report(report, undefined, refreshing, queued, startedAt, onWireAt);
            }
            if (accessToken !== undefined && !refreshedToken) {
              refreshedToken = true;
              this.#tokens.invalidate(accessToken);
              continue;
            }
            throw new AuthenticationError(outcome.error.code, outcome.error.message, outcome.error.traceId);
          case 'rateLimited': {
            const landed = mayHaveLanded !== undefined;
            const call = { method, route, key, template, deadline, retriesUsed, mayHaveLanded: landed };
            const refusal = this.#rateLimited.settle(outcome, paused, call);
            if (report !== undefined)
              this.#report(report, undefined, refusal === undefined, queued, startedAt, onWireAt);
            if (refusal !== undefined) throw refusal;
            retriesUsed++;
            continue; // the retry waits out the pause: `admit` refuses a paused route, `schedule` waits
          }
          case 'serverError': {
            const retrying = mayResend(options, outcome.error.status === 504) && retriesUsed < this.#retries;
            if (report !== undefined) this.#report(report, undefined, retrying, queued, startedAt, onWireAt);
            if (retrying) {
              mayHaveLanded ??= outcome.error;
              await this.#backOff(retriesUsed++, outcome.error, deadline, method, route, waitSignal());
              continue;
            }
            throw afterAttempts(outcome.error, attempt);
          }
          case 'clientError': {
            // A media the platform could not fetch is refused, not posted: re-send a few times.
            const retrying = retriesRefusal(outcome.error, mediaRetriesUsed, retriesUsed < this.#retries);
            if (report !== undefined) this.#report(report, undefined, retrying, queued, startedAt, onWireAt);
            if (retrying) {
              mediaRetriesUsed++;
              await this.#backOff(retriesUsed++, outcome.error, deadline, method, route, waitSignal());
              continue;
            }
            throw refusalError(afterAttempts(outcome.error, attempt), attempt, mayHaveLanded);
          }
        }
      }
    } catch (error) {
      // Cut off while waiting (token, back-off) after an attempt that may have landed: say so.
      const waitCutOff =
        (signal?.aborted === true && error === signal.reason) ||
        (error instanceof ClientDestroyedError && error.method === method && !error.mayHaveBeenSent);
      if (mayHaveLanded !== undefined && waitCutOff) throw cutOff(method, route, signal, true);
      throw error;
    } finally {
      joined?.leave();
    }
  }

  /**
   * Completes an attempt's event and hands it to the listeners.
   *
   * @param event - the event built when the attempt started, the answer's status and trace id in it
   * @param failure - how the attempt failed, when it got no usable answer
   * @param willRetry - whether the call tries again
   * @param queued - whether the attempt waited in its route's queue, from `startedAt` to `onWireAt`
   * @param startedAt - when the attempt started, on the steady clock
   * @param onWireAt - when it went to the wire, on the steady clock
   */
  #report(
    event: RestAttemptEvent,
    failure: RestAttemptFailure | undefined,
    willRetry: boolean,
    queued: boolean,
    startedAt: number,
    onWireAt: number,
  ): void {
    event.failure = failure;
    event.willRetry = willRetry;
    event.queueMs = queued ? onWireAt - startedAt : 0;
    event.platformMs = steadyNow() - onWireAt;
    this.#attempts.report(event);
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
    return backOff(ms, failure, deadline, this.#closing, method, route, signal);
  }
}
