import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The Ed25519 key the platform signs with for an app: the secret repeated until it is at least
 * 32 bytes long, the first 32 bytes used as the seed (docs/protocol.md §9.2).
 */
export function signingKey(secret: string): KeyObject {
  if (secret.length === 0) throw new TypeError('the app secret must not be empty');
  let seed = Buffer.from(secret, 'utf8');
  while (seed.length < 32) seed = Buffer.concat([seed, seed]);
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** Hex Ed25519 signature of `message` with the app's key. */
export function signHex(key: KeyObject, message: string | Buffer): string {
  return sign(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key).toString(
    'hex',
  );
}

/** Whether `signatureHex` is the app key's signature of `message` (false for malformed hex or length). */
export function verifyHex(key: KeyObject, message: string | Buffer, signatureHex: string): boolean {
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return verify(
    null,
    typeof message === 'string' ? Buffer.from(message, 'utf8') : message,
    publicKey,
    Buffer.from(signatureHex, 'hex'),
  );
}

/** The correct answer to an op 13 validation challenge: `sign(event_ts + plain_token)`. */
export function validationAnswer(
  secret: string,
  plainToken: string,
  eventTs: string,
): { plain_token: string; signature: string } {
  return { plain_token: plainToken, signature: signHex(signingKey(secret), eventTs + plainToken) };
}
