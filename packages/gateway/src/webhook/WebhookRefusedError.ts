import { GatewayError } from '../errors/GatewayError.js';

/**
 * Why a {@link WebhookReceiver} turned a request away, with the HTTP status it answered. Refusals
 * decided before the body was read cost no more than the request head.
 */
export const WEBHOOK_REFUSAL_STATUS = {
  /** Not a POST (405, with `Allow: POST`). */
  methodNotAllowed: 405,
  /** A path other than the configured one (404). */
  unknownPath: 404,
  /** `X-Bot-Appid` names another bot (401). */
  wrongAppId: 401,
  /** No signature headers on something other than a URL validation, or one larger than a validation can be (401). */
  missingSignature: 401,
  /** Only one of the two signature headers, or one not in the platform's form (401). */
  malformedSignature: 401,
  /** `X-Signature-Timestamp` outside the tolerance: a replay or a badly wrong clock (401). */
  staleTimestamp: 401,
  /** The signature does not verify over timestamp and body (401). */
  badSignature: 401,
  /**
   * The body comes with a `Content-Encoding` other than `identity` (415, with
   * `Accept-Encoding: identity`), refused unread: the signature covers the bytes the platform sent,
   * so something in between (a proxy compressing requests) must pass them on unchanged.
   */
  unsupportedEncoding: 415,
  /** The body is, or is declared, larger than `maxBodyBytes` (413). */
  bodyTooLarge: 413,
  /**
   * Taking the body would overrun `maxBufferedBytes` across all requests, or the receiver's `busy`
   * says so, or nothing listens to `dispatch` yet (503, with `Retry-After`).
   */
  overloaded: 503,
  /**
   * The receiver's `shuttingDown` says the application is stopping (503, with `Retry-After`), for
   * the platform to deliver the event again, to this instance once restarted or to another.
   */
  shuttingDown: 503,
  /** The body did not arrive within `bodyTimeoutMs` (408). */
  bodyTimeout: 408,
  /** The client hung up before the body was complete (nobody is left to read the 400). */
  aborted: 400,
  /**
   * The request is not a delivery: a `Content-Length` that is not a byte count, or a body that is
   * not a JSON object, or a bad `op`, `id`, `t`, `s` or validation data (400).
   */
  malformedDelivery: 400,
  /** The receiver failed on its own (500); a bug to report. */
  internal: 500,
  /**
   * A `dispatch` listener threw on the event (500), for the platform to deliver it again (expected,
   * not verified), until the receiver's `dispatchAttempts` are used up.
   */
  listenerFailed: 500,
} as const;

/** One of the reasons in {@link WEBHOOK_REFUSAL_STATUS}. */
export type WebhookRefusal = keyof typeof WEBHOOK_REFUSAL_STATUS;

/**
 * A request the webhook receiver turned away. Every refusal is announced on the receiver's
 * `rejected` event. Those that may mean the platform's events are not arriving (a wrong AppSecret,
 * a clock off, a delivery that verified but cannot be read, a failure of the receiver's own, …)
 * are then also reported on its `error` event, rate-limited, as a {@link WebhookRefusalsError};
 * see the receiver's `error` event for which, and when they are not.
 */
export class WebhookRefusedError extends GatewayError {
  /** The HTTP status answered. */
  public readonly status: number;
  /** For `overloaded` and `shuttingDown`: the seconds the client was told to wait (`Retry-After`). */
  public readonly retryAfterSeconds: number | undefined;

  /**
   * @param code - why the request was refused
   * @param detail - what exactly was wrong, safe to log (never a secret)
   * @param options - `cause`, for an internal failure; `retryAfterSeconds`, for `overloaded` and
   *   `shuttingDown`
   */
  public constructor(
    public readonly code: WebhookRefusal,
    public readonly detail: string,
    options?: ErrorOptions & { retryAfterSeconds?: number },
  ) {
    super(`webhook request refused (${code}): ${detail}`, undefined, options);
    this.status = WEBHOOK_REFUSAL_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
