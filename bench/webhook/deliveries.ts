import { WebhookSigner } from '@bot/gateway';
import { buildDispatchStream } from '../ingest/eventMix.js';

/** One signed webhook delivery, ready to POST. */
export interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * Signs `count` deliveries of the ingest mix the way the platform does (Ed25519 over timestamp +
 * raw body, key derived from the AppSecret), once, before any contender is measured.
 *
 * @param count - deliveries to build
 * @param secret - the bot's AppSecret
 * @param appId - the bot's AppID (`X-Bot-Appid`)
 */
export async function signedDeliveries(count: number, secret: string, appId: string): Promise<Delivery[]> {
  const signer = WebhookSigner.fromSecret(secret);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const { frames } = await buildDispatchStream(count);
  return frames.map((text) => {
    const body = Buffer.from(text);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'user-agent': 'QQBot-Callback',
        'x-bot-appid': appId,
        'x-signature-timestamp': timestamp,
        'x-signature-ed25519': signer.sign(Buffer.concat([Buffer.from(timestamp), body])),
      },
    };
  });
}
