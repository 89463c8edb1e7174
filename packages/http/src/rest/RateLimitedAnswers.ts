import { backoffDelay, type BotLogger, steadyNow } from '@bot/core';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { pauseForLimit, type LimitPause } from './ratelimit/limitPause.js';
import type { RateLimitManager } from './ratelimit/RateLimitManager.js';
import type { HttpMethod } from './RequestOptions.js';
import type { CallBudget, RateLimitedEvent } from './RestClientOptions.js';
import type { Outcome } from './response.js';
import { rateLimitGiveUp } from './retryRules.js';

/** An attempt the platform answered with a rate limit. */
export type RateLimitedOutcome = Extract<Outcome, { type: 'rateLimited' }>;

/** The call a rate-limited answer came to, as {@link RateLimitedAnswers.settle} needs it. */
export interface LimitedCall {
  /** HTTP method of the request. */
  readonly method: HttpMethod;
  /** Route template of the request. */
  readonly route: string;
  /** The route key the limit was met on. */
  readonly key: string;
  /** The route as the log names it. */
  readonly template: string;
  /** The call's deadline, on the steady clock (`steadyNow`). */
  readonly deadline: number;
  /** Retries the call has used so far, the limited attempt's among them not yet. */
  readonly retriesUsed: number;
  /** Whether an earlier attempt of the call may have been posted (see `RateLimitedError`). */
  readonly mayHaveLanded: boolean;
}

/**
 * What a rate-limited answer does to the calls of one client: the route pauses (every route, for
 * a global limit) for as long as the platform asked, at most `maxRateLimitWait`; the client's
 * `rateLimited` listeners hear of it; then the call either retries once the pause is over or
 * gives up with a {@link RateLimitedError} naming the bound it met (see `rateLimitGiveUp`).
 */
export class RateLimitedAnswers {
  readonly #limits: RateLimitManager;
  readonly #retries: number;
  readonly #backoff: CallBudget['backoff'];
  readonly #maxWait: number;
  readonly #onRateLimited: (event: RateLimitedEvent) => void;
  readonly #log: BotLogger;

  /**
   * @param limits - the client's route queues and pauses
   * @param budget - the client's retries, back-off and rate-limit cap
   * @param onRateLimited - reports a rate-limited attempt (the client's `rateLimited` event)
   * @param log - the client's logger
   */
  public constructor(
    limits: RateLimitManager,
    budget: CallBudget,
    onRateLimited: (event: RateLimitedEvent) => void,
    log: BotLogger,
  ) {
    this.#limits = limits;
    this.#retries = budget.retries;
    this.#backoff = budget.backoff;
    this.#maxWait = budget.maxRateLimitWait;
    this.#onRateLimited = onRateLimited;
    this.#log = log;
  }

  /**
   * Pauses the route of a rate-limited answer: for its `Retry-After`, or the back-off of the
   * retry it leads to when it has none, at most the cap.
   *
   * @param limited - the answer
   * @param key - the route key it was met on
   * @param retriesUsed - retries the call has used so far
   */
  public pause(limited: RateLimitedOutcome, key: string, retriesUsed: number): LimitPause {
    const asked = limited.retryAfter ?? backoffDelay(retriesUsed, this.#backoff);
    return pauseForLimit(this.#limits, limited, key, asked, this.#maxWait);
  }

  /**
   * Reports a rate-limited answer and decides whether its call waits and retries.
   *
   * @param limited - the answer
   * @param paused - the pause {@link RateLimitedAnswers.pause} already made for it, if it did
   * @param call - the call it came to
   * @returns the error that ends the call, or `undefined` when the call retries after the pause
   */
  public settle(
    limited: RateLimitedOutcome,
    paused: LimitPause | undefined,
    call: LimitedCall,
  ): RateLimitedError | undefined {
    const { method, route, key, retriesUsed } = call;
    const { code, traceId } = limited.error;
    const { asked, wait } = paused ?? this.pause(limited, key, retriesUsed);
    this.#onRateLimited({ method, route, key, wait, global: limited.global, code, attempt: retriesUsed });
    const exceeded = rateLimitGiveUp({
      asked,
      maxWait: this.#maxWait,
      now: steadyNow(),
      deadline: call.deadline,
      retriesUsed,
      retries: this.#retries,
    });
    this.#log.warn(
      `${call.template} rate limited (code ${code}); ` +
        (exceeded === undefined
          ? `waiting ${wait} ms`
          : `asked to wait ${asked} ms, pausing ${wait} ms; giving up (${exceeded})`),
    );
    return exceeded === undefined
      ? undefined
      : new RateLimitedError(
          method,
          route,
          asked,
          code,
          traceId,
          exceeded,
          call.mayHaveLanded,
          wait,
          limited.global,
        );
  }
}
