/** The webhook contenders, by the name the table shows, in table order (rounds rotate it). */
export const WEBHOOK_CONTENDERS = [
  'node:http + Ed25519 verify + JSON.parse',
  'node:http + Ed25519 verify + JSON.parse (control)',
  '@bot/gateway WebhookReceiver',
] as const;

/** One contender's name. */
export type WebhookContender = (typeof WEBHOOK_CONTENDERS)[number];

/** What a webhook child is asked to do: serve deliveries and count the verified ones. */
export interface WebhookJob {
  contender: WebhookContender;
  /** The bot's AppSecret; the signing key derives from it. */
  secret: string;
  /** Deliveries before the clock starts. */
  warmup: number;
  /** Deliveries measured. */
  deliveries: number;
}

/** What the child reports once it listens. */
export interface WebhookReady {
  /** Where to POST deliveries. */
  url: string;
}
