import type { WebhookLimits } from '@bot/gateway';

/** What {@link Client.webhookReceiver} accepts: the path and the limits of the receiver. */
export interface ClientWebhookOptions {
  /** Path deliveries are posted to (`/qq`); any path when omitted. */
  path?: string;
  /**
   * Body size, buffering, timeout and connection limits; each unset one keeps the receiver's
   * default (`DEFAULT_WEBHOOK_LIMITS` of `@bot/gateway`). On a server of the application's own,
   * the server's settings govern headers, idle connections and their count; the receiver still
   * applies the body, buffering and timestamp limits.
   */
  limits?: Partial<WebhookLimits>;
}

/** Where {@link Client.startWebhook} listens. */
export interface WebhookStartOptions extends ClientWebhookOptions {
  /** Port; 0 picks a free one (read it from the returned `url`). */
  port: number;
  /** Interface to bind; all interfaces by default. */
  host?: string;
}
