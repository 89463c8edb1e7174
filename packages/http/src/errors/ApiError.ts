import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { heldForAudit, repeatAdvice } from './delivery.js';
import { type PlatformCode, platformCodeInfo } from './platformCodes.js';

/** What the platform said about a failed request, plus where it happened. */
export interface ApiErrorDetails {
  /** HTTP status code. */
  status: number;
  /** Platform error code from the body (`code`), or the HTTP status when the body had none. */
  code: number;
  /** Secondary platform code (`err_code`), when present. */
  errCode: number | undefined;
  /** Platform message, or the HTTP status text. */
  message: string;
  /** Value of the `X-Tps-trace-Id` header (or body `trace_id`); quote it to platform support. */
  traceId: string | undefined;
  /** HTTP method of the request. */
  method: HttpMethod;
  /** Route template of the request, such as `/channels/{channel_id}/messages`. */
  route: string;
  /**
   * Whether the call may have posted its request all the same; by default only for a 5xx answer
   * and for a 2xx with an audit code (the platform holds the request for audit).
   * `true` for a refusal that came to a re-send after an earlier attempt may have landed.
   */
  mayHaveBeenSent?: boolean;
  /** Attempts the call made, this one included; 1 by default. */
  attempts?: number;
}

/**
 * What to do about a 413 (request body too large), which carries no documented platform code: a
 * message body is checked before sending (`MAX_MESSAGE_BODY_BYTES`), so this is another request
 * or a bound lower than the framework's.
 */
const BODY_TOO_LARGE_REMEDY =
  'the request body is larger than the server takes: split a long text into several messages, ' +
  'send large content as a file (a media upload) or an image by URL';

/** Each error's details, to make the copy {@link afterEarlierAttempt} returns. */
const DETAILS = new WeakMap<ApiError, ApiErrorDetails>();

/**
 * The platform answered with an error status or an error body. For a known code the message ends
 * with what to do about it (`remedy`). `Code` narrows `code`: a {@link KnownApiError} is the union
 * of one `ApiError<C>` per {@link PlatformCode}, so `switch (error.code)` narrows the error.
 */
export class ApiError<Code extends number = number> extends BotError {
  public readonly kind = 'api' as const;
  /** HTTP status code. */
  public readonly status: number;
  /** Platform error code (`code` of the body), or the HTTP status when the body had none. */
  public readonly code: Code;
  /**
   * What to do about a known code (docs/protocol.md §11) or a 413 (body too large); `undefined`
   * for other codes.
   */
  public readonly remedy: string | undefined;
  /** Secondary platform code (`err_code`), when present. */
  public readonly errCode: number | undefined;
  /** Trace id of the answer; quote it to platform support. */
  public readonly traceId: string | undefined;
  /** HTTP method of the request. */
  public readonly method: HttpMethod;
  /** Route template of the request, such as `/channels/{channel_id}/messages`. */
  public readonly route: string;
  /**
   * Whether the call may have posted its request despite this answer: `true` for a 5xx (the
   * platform may have acted before it failed), for a 2xx with an audit code (304023/304024) on a
   * request not declared auditable (the platform holds it for audit), and for a refusal of a
   * re-send whose earlier attempt may have landed (a 5xx or a connection lost before it); then
   * check before sending again.
   */
  public readonly mayHaveBeenSent: boolean;
  /**
   * Attempts the call made, the one answered with this error included: above 1 when the client
   * retried (a 5xx, a media the platform could not fetch) until its `retries` ran out.
   */
  public readonly attempts: number;

  /** @param details - the platform's answer and the request it belongs to */
  public constructor(details: ApiErrorDetails) {
    const remedy =
      platformCodeInfo(details.code)?.remedy ?? (details.status === 413 ? BODY_TOO_LARGE_REMEDY : undefined);
    // An audit code with a 2xx on a request with no PendingAudit to resolve to: the platform took it.
    const held = heldForAudit(details.status, details.code);
    const mayHaveBeenSent = details.mayHaveBeenSent ?? (details.status >= 500 || held);
    const advice = repeatAdvice(details.method, details.route, mayHaveBeenSent);
    // A 5xx may have come after the platform acted on this attempt; a refusal says nothing was
    // posted by this attempt, so only an earlier one may have been.
    const delivery = held
      ? '; the platform holds it for audit and may deliver it once approved: do not send it again'
      : advice === undefined
        ? ''
        : details.status >= 500
          ? `; ${advice}`
          : `; an earlier attempt failed after it was sent: ${advice}`;
    const attempts = details.attempts ?? 1;
    super(
      `${details.method} ${details.route} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${details.status} code ${details.code}: ${details.message}` +
        (details.traceId ? ` (trace ${details.traceId})` : '') +
        (remedy === undefined ? '' : `; ${remedy}`) +
        delivery,
    );
    DETAILS.set(this, details);
    this.mayHaveBeenSent = mayHaveBeenSent;
    this.attempts = attempts;
    this.status = details.status;
    this.code = details.code as Code;
    this.remedy = remedy;
    this.errCode = details.errCode;
    this.traceId = details.traceId;
    this.method = details.method;
    this.route = details.route;
  }
}

/**
 * A copy of `refusal` (a refusal of a re-send) that says an earlier attempt of the call may have
 * landed: its `mayHaveBeenSent` is `true` and its message says to check before sending again.
 *
 * @param refusal - the platform's answer to the last attempt
 */
export function afterEarlierAttempt<Code extends number>(refusal: ApiError<Code>): ApiError<Code> {
  const details = DETAILS.get(refusal);
  if (details === undefined || refusal.mayHaveBeenSent) return refusal;
  return new ApiError<Code>({ ...details, mayHaveBeenSent: true, attempts: refusal.attempts });
}

/**
 * A copy of `error` that says the call made `attempts` attempts; `error` itself for one.
 *
 * @param error - the platform's answer to the last attempt
 * @param attempts - the attempts the call made, that one included
 */
export function afterAttempts<Code extends number>(error: ApiError<Code>, attempts: number): ApiError<Code> {
  const details = DETAILS.get(error);
  if (details === undefined || attempts <= 1 || error.attempts === attempts) return error;
  return new ApiError<Code>({ ...details, mayHaveBeenSent: error.mayHaveBeenSent, attempts });
}

/** An {@link ApiError} with one of the known {@link PlatformCode}s: `switch (error.code)` narrows it. */
export type KnownApiError = { [C in PlatformCode]: ApiError<C> }[PlatformCode];

declare module '@bot/core' {
  interface BotErrorKinds {
    api: ApiError;
  }
}
