import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice } from './delivery.js';

/**
 * Which bound made a rate-limited request give up: the retries ran out (`retries`), the platform
 * asked for a wait longer than the client's `maxRateLimitWait` (`maxRateLimitWait`), the wait
 * would outlast the call's `timeout` (`timeout`), or the route already had `rateLimits.maxQueued`
 * requests waiting, so this one was refused before it was sent (`maxQueued`).
 */
export type RateLimitBound = 'retries' | 'maxRateLimitWait' | 'timeout' | 'maxQueued';

const ADVICE: Record<RateLimitBound, string> = {
  retries: 'still limited after every retry',
  maxRateLimitWait: 'the wait is longer than maxRateLimitWait',
  timeout: "the wait is longer than the call's timeout leaves",
  maxQueued: 'the route already has maxQueued requests waiting; send fewer at once',
};

/**
 * Whose window a route queue keeps: the platform's (the message routes' default of
 * `rateLimits.messagesPerSecond`), or the user's own, set by that option or by `rateLimits.routes`.
 */
export type WindowOwner = 'platform' | 'rateLimits.messagesPerSecond' | 'rateLimits.routes';

/** How a refusal names the owner of the window. */
const WINDOW_OWNER: Record<WindowOwner, string> = {
  platform: "the platform's limit",
  'rateLimits.messagesPerSecond': 'set by your `rateLimits.messagesPerSecond`',
  'rateLimits.routes': 'set by your `rateLimits.routes` for that route',
};

/**
 * The queue a request was refused by, unsent, because its turn could not come before its
 * deadline: the sends ahead of it, paced by the route's window, need longer than it has left.
 */
export interface QueuedBehind {
  /**
   * Requests waiting ahead of it in the route's queue that take a turn of the route's window
   * before it: those whose turn comes after their own deadline leave unsent, freeing their place,
   * and are not counted, nor are those giving up a turn's spacing or more before it.
   */
  readonly depth: number;
  /** Sends the route's window lets through per `intervalMs`. */
  readonly limit: number;
  /** The route's window, in milliseconds. */
  readonly intervalMs: number;
  /**
   * How long each send was assumed to take until its answer, in milliseconds: the moving average
   * of the answer times of the route's endpoint (each counted as at most 10 s); `undefined` when
   * none was answered yet, and sends were assumed answered at once. Answers faster or slower than
   * that can bring the turn sooner: the wait is an estimate, not a bound.
   */
  readonly answerMs?: number | undefined;
  /** Whose window it is: the platform's, or one the client's options set. */
  readonly windowOf: WindowOwner;
}

/**
 * A request was rate limited (HTTP 429, code `22009`, …) and gave up rather than wait: after every
 * allowed retry, or at once when the wait would exceed `maxRateLimitWait` or the call's timeout.
 * With `exceeded` `maxQueued` the client refused it itself, unsent: `retryAfter` is then 0 and
 * `code` 429. `mayHaveBeenSent` is `true` when an earlier attempt of the call may have been posted
 * (it met a 5xx or lost its connection and was sent again).
 *
 * `retryAfter` is the platform's figure; `pausedForMs` is how long the client holds the route's
 * requests (every request, when `global`) because of it, the `wait` of the `rateLimited` event.
 * They differ only when the platform asked for more than `maxRateLimitWait`: every pause is capped
 * there, so one answer with a huge `Retry-After` cannot hold requests for longer, and the message
 * then states both.
 *
 * With `queueDepth` set, the client refused it itself, unsent, before its deadline: it was
 * `queueDepth` requests behind in its route's queue, and the route's window (the platform's limit
 * or one set in `rateLimits`, kept by this client) could not give it its turn within its timeout. `retryAfter` is then the
 * least wait it would have needed, and `pausedForMs` the part of it a rate-limit pause makes.
 */
export class RateLimitedError extends BotError {
  public readonly kind = 'rateLimited' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param retryAfter - milliseconds the platform (or our back-off) asked to wait, uncapped
   * @param code - platform code (`22009`, `620006`, …) or 429
   * @param traceId - trace id of the last answer
   * @param exceeded - the bound that made the request give up; `retries` by default
   * @param mayHaveBeenSent - whether an earlier attempt of the call may have landed (a 5xx or a
   *   connection lost, then re-sent): the message then says to check before sending again
   * @param pausedForMs - milliseconds the client pauses requests for because of this limit:
   *   `retryAfter` capped at `maxRateLimitWait` (`retryAfter` by default)
   * @param global - whether the pause holds every route (a limit the platform marked global)
   *   rather than this request's route
   * @param queued - the route queue that refused it, unsent, as too deep to reach it in time
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly retryAfter: number,
    public readonly code: number,
    public readonly traceId: string | undefined,
    public readonly exceeded: RateLimitBound = 'retries',
    public readonly mayHaveBeenSent = false,
    public readonly pausedForMs: number = retryAfter,
    public readonly global = false,
    queued?: QueuedBehind,
  ) {
    const earlier = mayHaveBeenSent ? repeatAdvice(method, route, true) : undefined;
    super(
      (exceeded === 'maxQueued'
        ? `${method} ${route} was not sent: ${ADVICE[exceeded]}`
        : queued !== undefined
          ? queueTooDeep(method, route, retryAfter, pausedForMs, queued)
          : `${method} ${route} is rate limited (code ${code}); ` +
            (pausedForMs < retryAfter
              ? cappedWait(retryAfter, pausedForMs, global)
              : `retry after ${retryAfter} ms (${ADVICE[exceeded]})`) +
            (traceId ? ` (trace ${traceId})` : '')) +
        (earlier === undefined ? '' : `; an earlier attempt failed after it was sent: ${earlier}`),
    );
    this.queueDepth = queued?.depth;
  }

  /**
   * Requests ahead of it in its route's queue that take a turn before it (see
   * {@link QueuedBehind.depth}), when the client refused it as too deep; else absent.
   */
  public readonly queueDepth: number | undefined;
}

/** A refusal by a queue too deep to reach the request before its deadline. */
function queueTooDeep(
  method: HttpMethod,
  route: string,
  wait: number,
  pausedForMs: number,
  queued: QueuedBehind,
): string {
  const pause = pausedForMs > 0 ? ` after a rate-limit pause of ${pausedForMs} ms` : '';
  const answered =
    queued.answerMs === undefined
      ? 'at once, as none to that endpoint was answered yet'
      : `${Math.round(queued.answerMs)} ms after it goes out, as that endpoint's answers took on average`;
  return (
    `${method} ${route} was not sent: ${queued.depth} requests that have their turn first wait ahead of it in this client's ` +
    `queue for that route, which sends ${queued.limit} per ${queued.intervalMs} ms ` +
    `(${WINDOW_OWNER[queued.windowOf]})${pause}, so its turn comes in about ${wait} ms, later than its ` +
    `timeout leaves (an estimate with every send answered ${answered}; answers faster, or slow ` +
    'enough that requests ahead give up, could bring its turn sooner); send fewer requests to that ' +
    'route at once, raise `timeout` (client or call), or handle this error'
  );
}

/** The two figures of a wait the cap cut short, and why they differ. */
function cappedWait(retryAfter: number, pausedForMs: number, global: boolean): string {
  const held = global ? 'every request waits' : 'requests on this route wait';
  return (
    `the platform asked to wait ${retryAfter} ms, longer than maxRateLimitWait, so the call fails ` +
    `now and ${held} ${pausedForMs} ms only (maxRateLimitWait caps every pause, so that one answer ` +
    `cannot hold requests longer); retry after ${retryAfter} ms, as the platform asked`
  );
}

declare module '@bot/core' {
  interface BotErrorKinds {
    rateLimited: RateLimitedError;
  }
}
