import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { ACCESS_TOKEN_ROUTE, repeatAdvice } from './delivery.js';
import { describeTimeSpent, mostlyLocal, type QueuedFor, type TimeSpent } from './TimeSpent.js';

const RAISE_CALL_TIMEOUT = 'raise `timeout` (client or call) if the platform is this slow';
/** The token request runs with the provider's timeout (10 s by default), whatever the call's. */
const RAISE_TOKEN_TIMEOUT =
  "raise the token provider's `timeout` (`new AccessTokenProvider(token, { timeout })`, given to " +
  'the client as `tokens`) if the token endpoint is this slow';
const OR_RAISE_TIMEOUT = 'raise `timeout` (client or call), or handle this error';
/** What to do about a call this client held in its queue until it timed out, by what held it. */
const QUEUE_HELD: Record<QueuedFor, string> = {
  pace: `this client held it to keep the route within its limits: send fewer requests to that route at once, ${OR_RAISE_TIMEOUT}`,
  pause: `this client held it while the platform's rate limit paused that route: send fewer requests to that route, ${OR_RAISE_TIMEOUT}`,
  global:
    "this client held it while the platform's global rate limit paused every route, not only this " +
    `one: send fewer requests in all, ${OR_RAISE_TIMEOUT}`,
  concurrency:
    'this client held it to keep the route within `rateLimits.concurrency`: raise that cap, send fewer ' +
    `requests to that route at once, ${OR_RAISE_TIMEOUT}`,
  sockets:
    'every connection this client may open was taken by requests still on the wire: raise ' +
    `\`maxSockets\`, send fewer requests at once, ${OR_RAISE_TIMEOUT}`,
};
const TOKEN_HELD =
  'the access token came too late: see the token endpoint failures logged, or raise `timeout`';

/**
 * The request got no answer within its timeout. When it may have reached the platform
 * (`mayHaveBeenSent`), a POST may have taken effect: the message says to check before sending it
 * again. The message also names the option to raise: `timeout`, of the client or of the call; for
 * the token request, the token provider's own `timeout`, which the call's does not change. When known, `spent` says
 * where the time went, and the message names the platform as slow only when most of it went there.
 */
export class TimeoutError extends BotError {
  public readonly kind = 'timeout' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param timeout - the timeout that elapsed, in milliseconds
   * @param mayHaveBeenSent - whether the request (or an earlier attempt of the call) may have
   *   reached the platform; `false` only when the time ran out before anything was sent (waiting
   *   for the token or its turn). `true` when not known.
   * @param spent - where the call's time went: waiting in this client, or at the platform
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly timeout: number,
    public readonly mayHaveBeenSent = true,
    public readonly spent?: TimeSpent,
  ) {
    const delivery = mayHaveBeenSent ? repeatAdvice(method, route, true) : 'nothing was sent';
    super(
      `${method} ${route} timed out after ${timeout} ms: ` +
        (delivery === undefined ? '' : `${delivery}; `) +
        // All of it at the platform goes without saying: the advice then names the platform.
        (spent === undefined || spent.queueMs + spent.tokenMs === 0
          ? ''
          : `it spent ${describeTimeSpent(spent)}; `) +
        timeoutAdvice(route, spent),
    );
  }
}

/** What to do: raise the timeout if the platform is slow, unless the time went elsewhere. */
function timeoutAdvice(route: string, spent: TimeSpent | undefined): string {
  if (route === ACCESS_TOKEN_ROUTE) return RAISE_TOKEN_TIMEOUT;
  if (spent === undefined || !mostlyLocal(spent)) return RAISE_CALL_TIMEOUT;
  return spent.queueMs >= spent.tokenMs ? QUEUE_HELD[spent.queuedFor ?? 'pace'] : TOKEN_HELD;
}

declare module '@bot/core' {
  interface BotErrorKinds {
    timeout: TimeoutError;
  }
}
