import { steadyNow } from '@bot/core';
import type { WebhookRefusal } from './WebhookRefusedError.js';

/**
 * Reasons anyone who knows the callback URL can cause without the secret (made-up signature
 * headers, an old timestamp, another app id or path, one header or none, a content coding), whose
 * usual advice (the AppSecret, the clock, the callback URL, a proxy) a delivery that verified
 * shortly before disproves: it came signed with this receiver's key, within the timestamp window,
 * on the served path, through whatever sits in front. `bodyTooLarge` is not one: a delivery that
 * verified says nothing of how large the next event may be.
 */
export const DISPROVED_BY_A_VERIFIED_DELIVERY: ReadonlySet<WebhookRefusal> = new Set<WebhookRefusal>([
  'badSignature',
  'staleTimestamp',
  'wrongAppId',
  'unknownPath',
  'missingSignature',
  'malformedSignature',
  'unsupportedEncoding',
]);

/** When a receiver last verified a delivery's signature, on the steady clock. */
export class LastVerified {
  #at: number | undefined;

  /** Records that a delivery's signature verified now. */
  public verified(): void {
    this.#at = steadyNow();
  }

  /** Milliseconds since a delivery last verified, or `undefined` when none has. */
  public ageMs(): number | undefined {
    return this.#at === undefined ? undefined : steadyNow() - this.#at;
  }
}
