import type { IncomingMessage } from 'node:http';
import { isSignatureHex } from './WebhookSigner.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/** The signature headers of a delivery, in the form the platform sends them. */
export interface SignatureHeaders {
  /** `X-Signature-Ed25519`: 64 bytes, hex encoded. */
  signature: string;
  /** `X-Signature-Timestamp`: unix seconds, signed together with the body. */
  timestamp: string;
}

const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Whether `text` is a time in unix seconds as the platform writes it (decimal digits only).
 *
 * @param text - a timestamp header or field
 */
export function isUnixSeconds(text: string): boolean {
  return UNIX_SECONDS.test(text);
}

/**
 * Checks a request's signature headers from its head alone, so that a request that cannot be
 * authentic is refused before its body costs anything: both headers or neither, each in the
 * platform's form, and the timestamp within `toleranceSeconds` of `nowMs` (older is a replay).
 *
 * @param request - the request, body not yet read
 * @param toleranceSeconds - how far the timestamp may be from now
 * @param nowMs - the receiver's clock
 * @returns the headers, or `undefined` when the request carries neither
 * @throws {@link WebhookRefusedError} `malformedSignature` or `staleTimestamp`
 */
export function readSignatureHeaders(
  request: IncomingMessage,
  toleranceSeconds: number,
  nowMs: number,
): SignatureHeaders | undefined {
  const signature = request.headers['x-signature-ed25519'];
  const timestamp = request.headers['x-signature-timestamp'];
  if (signature === undefined && timestamp === undefined) return undefined;
  if (typeof signature !== 'string' || typeof timestamp !== 'string')
    throw new WebhookRefusedError(
      'malformedSignature',
      'X-Signature-Ed25519 and X-Signature-Timestamp come together or not at all',
    );
  if (!isSignatureHex(signature))
    throw new WebhookRefusedError('malformedSignature', 'X-Signature-Ed25519 is not 64 hex-encoded bytes');
  if (!isUnixSeconds(timestamp))
    throw new WebhookRefusedError('malformedSignature', 'X-Signature-Timestamp is not in unix seconds');
  const offset = Math.abs(nowMs / 1000 - Number(timestamp));
  if (offset > toleranceSeconds)
    throw new WebhookRefusedError(
      'staleTimestamp',
      `signature timestamp is ${Math.round(offset)} s off, more than ${toleranceSeconds} s`,
    );
  return { signature, timestamp };
}
