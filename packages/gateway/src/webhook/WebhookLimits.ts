import { MAX_TIMER_DELAY, requireInteger, ValidationError } from '@bot/core';

/**
 * What a {@link WebhookReceiver} lets one request and all of them together cost. Every field is
 * optional in the receiver's options; the defaults suit the platform's traffic (small JSON bodies
 * posted promptly over a few keep-alive connections) with a wide margin.
 */
export interface WebhookLimits {
  /**
   * Largest body accepted, in bytes. A larger `Content-Length` is refused with 413 before a byte
   * of the body is read; a body streamed past it is cut off at the cap.
   *
   * @defaultValue 1 MiB (1,048,576)
   */
  maxBodyBytes: number;
  /**
   * Bytes all requests together may hold in memory while their bodies arrive. A request whose
   * body would overrun it is refused with 503 and `Retry-After` instead of waiting; a body with a
   * `Content-Length` counts in full from its first byte. At least `maxBodyBytes`.
   *
   * @defaultValue 32 MiB (33,554,432)
   */
  maxBufferedBytes: number;
  /**
   * How long a connection may take to send a complete request head, in ms; the server then
   * answers 408 and closes it.
   *
   * @defaultValue 10,000
   */
  headersTimeoutMs: number;
  /**
   * How long a body may take to arrive once its head is in, in ms; the request is then refused
   * with 408 and its connection closed.
   *
   * @defaultValue 10,000
   */
  bodyTimeoutMs: number;
  /**
   * How long a keep-alive connection may sit idle between requests, in ms, before it is closed.
   *
   * @defaultValue 5,000
   */
  idleTimeoutMs: number;
  /**
   * Open connections at most; further ones are closed as soon as they are accepted.
   *
   * @defaultValue 1,024
   */
  maxConnections: number;
  /**
   * How far `X-Signature-Timestamp` may be from the receiver's clock, in seconds; a delivery
   * signed further away is taken for a replay and refused with 401.
   *
   * @defaultValue 300
   */
  timestampToleranceSeconds: number;
}

/** The defaults of every {@link WebhookLimits} field. */
export const DEFAULT_WEBHOOK_LIMITS: Readonly<WebhookLimits> = Object.freeze({
  maxBodyBytes: 1024 * 1024,
  maxBufferedBytes: 32 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  idleTimeoutMs: 5_000,
  maxConnections: 1_024,
  timestampToleranceSeconds: 300,
});

/**
 * Fills in the defaults and checks every limit.
 *
 * @param limits - the caller's limits, any subset
 * @throws {@link ValidationError} naming the first limit that is unknown (a typo would otherwise
 *   leave a default in force unnoticed), not a positive integer, a timeout longer than a timer can
 *   wait, or a `maxBufferedBytes` below `maxBodyBytes` (a largest body could never be taken)
 */
export function resolveWebhookLimits(
  limits: { [K in keyof WebhookLimits]?: WebhookLimits[K] | undefined } = {},
): Readonly<WebhookLimits> {
  const resolved: WebhookLimits = { ...DEFAULT_WEBHOOK_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_WEBHOOK_LIMITS, key))
      throw new ValidationError(`limits.${key}`, 'is not a webhook limit');
    if (value !== undefined) resolved[key as keyof WebhookLimits] = value;
  }
  for (const key of Object.keys(resolved) as (keyof WebhookLimits)[]) {
    if (key === 'maxBufferedBytes') continue;
    requireInteger(resolved[key], `limits.${key}`, 1, key.endsWith('Ms') ? MAX_TIMER_DELAY : undefined);
  }
  requireInteger(resolved.maxBufferedBytes, 'limits.maxBufferedBytes', resolved.maxBodyBytes);
  return Object.freeze(resolved);
}
