import type { WebhookLimits } from '@bot/gateway';

/** What {@link Client.webhookReceiver} accepts: the path and the limits of the receiver. */
export interface ClientWebhookOptions {
  /** Path deliveries are posted to (`/qq`); any path when omitted. */
  path?: string | undefined;
  /**
   * Body size, buffering, timeout and connection limits; each unset one keeps the receiver's
   * default (`DEFAULT_WEBHOOK_LIMITS` of `@bot/gateway`). On a server of the application's own,
   * the server's settings govern headers, idle connections and their count; the receiver still
   * applies the body, buffering and timestamp limits.
   */
  limits?: { [K in keyof WebhookLimits]?: WebhookLimits[K] | undefined } | undefined;
  /**
   * How long a delivery's answer may wait for the event's handlers, in milliseconds (0 to 60,000).
   * 0, the default, answers the platform as soon as the event is queued for the handlers: an
   * event whose handler is then cut short (the process killed or frozen, as a serverless platform
   * does once it has answered) is lost, as the platform does not deliver an acknowledged event
   * again. Above 0 the answer comes once every handler has finished with the event, or when the
   * wait ends, whichever is first; an event a shutdown gives up on within the wait is answered
   * 500, for the platform to deliver it again. A handler that throws or rejects is reported to
   * `error()` and the event is still acknowledged: the handler may have replied or changed state
   * before it failed, and a redelivery would run it again (a bug failing the same way each time);
   * retry inside the handler what is worth retrying.
   *
   * The platform's own wait for an answer is not documented: past it, the platform may deliver
   * the event again while its handler still runs. The duplicate filter drops that copy in this
   * process (not in another instance), but the platform counts the first delivery as failed.
   * Keep the wait, and the handlers, well below the platform's wait; a handler needing longer
   * should queue its work.
   *
   * @defaultValue 0
   */
  dispatchWaitMs?: number | undefined;
}

/** Where {@link Client.startWebhook} listens. */
export interface WebhookStartOptions extends ClientWebhookOptions {
  /** Port; 0 picks a free one (read it from the returned `url`). */
  port: number;
  /** Interface to bind; all interfaces (`::`, or `0.0.0.0` without IPv6) by default. */
  host?: string | undefined;
}
