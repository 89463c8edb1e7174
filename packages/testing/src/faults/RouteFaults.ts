import { EmulatorError } from '../EmulatorError.js';
import { ErrorCode } from '../rest/errorCodes.js';
import { RestError } from '../rest/RestError.js';
import { routeShape } from '../rest/Router.js';

/** How a route should fail. */
export interface RouteFailure {
  /** HTTP status to answer with (4xx or 5xx). */
  status: number;
  /** API error code (default: 22009 for 429, the status itself otherwise). */
  code?: number | undefined;
  /** Error message (default names the injected fault). */
  message?: string | undefined;
  /** Seconds for a `Retry-After` header (omitted by default, as the platform sends none). */
  retryAfter?: number | undefined;
  /** How many calls fail before the route works again (default 1; `Infinity` for all). */
  times?: number | undefined;
  /**
   * Let the call take effect first (a message is posted, a reply counted), then answer with the
   * failure, as when the platform acted but its answer was lost. Default `false`: the call fails
   * before it does anything.
   */
  afterHandling?: boolean | undefined;
}

/** An armed failure as one call meets it. */
export interface InjectedFailure {
  /** The error to answer with. */
  error: RestError;
  /** Whether the route runs first ({@link RouteFailure.afterHandling}). */
  afterHandling: boolean;
}

/** Route failures armed at once, at most: a test arming in a loop fails loudly instead of growing. */
export const MAX_ARMED_ROUTE_FAILURES = 1000;

interface ArmedFailure {
  shape: string;
  template: string;
  failure: RouteFailure;
  remaining: number;
}

/**
 * Injected REST failures, matched by route template (`{param}` names do not matter:
 * `POST /channels/{c}/messages` matches `POST /channels/{channel_id}/messages`).
 */
export class RouteFaults {
  #armed: ArmedFailure[] = [];

  /**
   * @param knownTemplates the router's templates, so a typo fails loudly instead of never matching
   */
  constructor(readonly knownTemplates: () => string[]) {}

  /**
   * Arms a failure for a route.
   *
   * @throws {@link EmulatorError} for an unknown route, a status outside 400–599, a `times` not
   *   positive, or once {@link MAX_ARMED_ROUTE_FAILURES} failures are armed
   */
  add(template: string, failure: RouteFailure): void {
    if (this.#armed.length >= MAX_ARMED_ROUTE_FAILURES)
      throw new EmulatorError(
        `${MAX_ARMED_ROUTE_FAILURES} route failures are armed, the most at once: let some be used or reset the faults`,
      );
    const shape = routeShape(template);
    const known = this.knownTemplates().find((t) => routeShape(t) === shape);
    if (!known) throw new EmulatorError(`unknown route template "${template}"`);
    if (!Number.isInteger(failure.status) || failure.status < 400 || failure.status > 599) {
      throw new EmulatorError(`failure status must be 400–599, got ${failure.status}`);
    }
    const times = failure.times ?? 1;
    if (!(times > 0)) throw new EmulatorError(`failure times must be positive, got ${times}`);
    this.#armed.push({ shape, template: known, failure, remaining: times });
  }

  /** Consumes one armed failure for `template`, returning the error to answer with and when. */
  take(template: string): InjectedFailure | undefined {
    const shape = routeShape(template);
    const armed = this.#armed.find((a) => a.shape === shape);
    if (!armed) return undefined;
    armed.remaining--;
    if (armed.remaining <= 0) this.#armed = this.#armed.filter((a) => a !== armed);
    const { status, code, message, retryAfter, afterHandling } = armed.failure;
    const headers: Record<string, string> =
      retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
    const error = new RestError(
      status,
      code ?? (status === 429 ? ErrorCode.MessageRateLimited : status),
      message ?? `injected failure on ${armed.template}`,
      undefined,
      headers,
    );
    return { error, afterHandling: afterHandling === true };
  }

  /** Disarms every failure. */
  clear(): void {
    this.#armed = [];
  }
}
