import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ValidationError, type CallbackValidationAnswer, type CallbackValidationData } from '@bot/core';

/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_BYTES = 32;
const SIGNATURE_HEX = /^[0-9a-fA-F]{128}$/;

/**
 * Whether `text` has the form of a signature the platform sends: 64 bytes, hex encoded.
 *
 * @param text - an `X-Signature-Ed25519` header
 */
export function isSignatureHex(text: string): boolean {
  return SIGNATURE_HEX.test(text);
}

/** What to do about a missing or empty AppSecret: most come from the environment, as in the examples. */
const SECRET_HINT =
  "pass the bot's AppSecret from the QQ Bot Open Platform console (the examples read QQ_BOT_SECRET: set it)";

/**
 * The platform derives the webhook key from the AppSecret: the secret's bytes repeated until
 * there are at least 32, the first 32 taken as the Ed25519 seed.
 *
 * @param secret - the bot's AppSecret
 * @throws {@link ValidationError} for a secret that is missing (an environment variable unset),
 *   not a string (its value never shown) or empty
 */
export function webhookSeed(secret: string): Buffer {
  const given: unknown = secret;
  if (given === undefined || given === null)
    throw new ValidationError('secret', `is missing (got ${String(given)}): ${SECRET_HINT}`);
  if (typeof given !== 'string')
    throw new ValidationError(
      'secret',
      `must be a string (got a value of type ${typeof given}): ${SECRET_HINT}`,
    );
  const bytes = Buffer.from(secret, 'utf8');
  if (bytes.length === 0) throw new ValidationError('secret', `must not be empty: ${SECRET_HINT}`);
  const repeats = Math.ceil(SEED_BYTES / bytes.length);
  return Buffer.concat(Array.from({ length: repeats }, () => bytes)).subarray(0, SEED_BYTES);
}

/**
 * Signs and verifies webhook traffic with the key derived from the AppSecret (Ed25519 through
 * Node's own `crypto`; no extra dependency).
 */
export class WebhookSigner {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  private constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    this.#publicKey = createPublicKey(privateKey);
  }

  /**
   * Derives the key pair from the bot's AppSecret.
   *
   * @throws {@link ValidationError} for a missing, non-string or empty secret
   */
  public static fromSecret(secret: string): WebhookSigner {
    const der = Buffer.concat([ED25519_PKCS8_PREFIX, webhookSeed(secret)]);
    return new WebhookSigner(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  }

  /** The raw 32-byte public key, hex encoded (what the platform computes from the same secret). */
  public get publicKeyHex(): string {
    const der = this.#publicKey.export({ format: 'der', type: 'spki' });
    return der.subarray(der.length - SEED_BYTES).toString('hex');
  }

  /**
   * Signs a message.
   *
   * @returns the 64-byte signature, hex encoded
   */
  public sign(message: string | Uint8Array): string {
    const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    return sign(null, bytes, this.#privateKey).toString('hex');
  }

  /**
   * Checks a signature over exact bytes. Refuses anything but 64 hex-encoded bytes, and
   * non-canonical signatures (top three bits of the last byte set), as the platform's reference does.
   *
   * @param message - the signed bytes (for deliveries: timestamp followed by the raw body)
   * @param signatureHex - the `X-Signature-Ed25519` header
   */
  public verify(message: Uint8Array, signatureHex: string): boolean {
    if (!isSignatureHex(signatureHex)) return false;
    const signature = Buffer.from(signatureHex, 'hex');
    if (((signature[63] ?? 0) & 0xe0) !== 0) return false;
    return verify(null, message, this.#publicKey, signature);
  }

  /**
   * Answers a callback URL validation (op 13): the plain token, and a signature over
   * `event_ts + plain_token`.
   */
  public answerValidation(data: CallbackValidationData): CallbackValidationAnswer {
    return { plain_token: data.plain_token, signature: this.sign(data.event_ts + data.plain_token) };
  }
}
