import type { WebhookLimits } from '@bot/gateway';

/** Where {@link Client.startWebhook} listens. */
export interface WebhookStartOptions {
  /** Port; 0 picks a free one (read it from the returned `url`). */
  port: number;
  /** Path deliveries are posted to (`/qq`); any path when omitted. */
  path?: string;
  /** Interface to bind; all interfaces by default. */
  host?: string;
  /**
   * Body size, buffering, timeout and connection limits of the server; each unset one keeps the
   * receiver's default (`DEFAULT_WEBHOOK_LIMITS` of `@bot/gateway`).
   */
  limits?: Partial<WebhookLimits>;
}
