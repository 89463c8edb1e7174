import type { HttpMethod } from '../rest/RequestOptions.js';

// Whether a failed request may have reached the platform, and what that means for the caller: the
// one fact the retry rules and the errors' advice share.

/**
 * Failures that happen before a request leaves the machine: re-sending cannot duplicate it.
 * `ERR_SOCKET_CONNECTION_TIMEOUT` is Node's when no address answered the connect in time.
 */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * A server certificate refused in the TLS handshake (Node's codes for OpenSSL's checks, and its own
 * host check): the request is written only once the handshake is done, so none of it left the
 * machine. Not worth another try either: the same certificate is refused again.
 */
const CERTIFICATE_REFUSED = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Whether a network failure happened before the request left the machine (connection refused or
 * timed out, DNS, a server certificate refused in the TLS handshake), so that re-sending it cannot
 * duplicate anything.
 *
 * @param reason - the failure as `describeNetworkError` names it: a connection failure's code, or
 *   any other failure's `CODE: message`
 */
export function wasNeverSent(reason: string): boolean {
  if (NEVER_SENT.has(reason)) return true;
  const colon = reason.indexOf(':');
  return colon > 0 && CERTIFICATE_REFUSED.has(reason.slice(0, colon));
}

/** Route of the token endpoint: a POST, but asking again for a token posts nothing anyone sees. */
export const ACCESS_TOKEN_ROUTE = '/app/getAppAccessToken';

/**
 * What a caller should know before repeating a request that failed without a readable answer:
 * only a POST (the one method whose repetition is not harmless: a message posted twice) that
 * may have reached the platform needs checking first; a token request never does.
 *
 * @param method - HTTP method of the request
 * @param route - route template of the request
 * @param mayHaveBeenSent - whether the request may have reached the platform
 * @returns the advice, or `undefined` when repeating the request is harmless
 */
export function repeatAdvice(
  method: HttpMethod,
  route: string,
  mayHaveBeenSent: boolean,
): string | undefined {
  return mayHaveBeenSent && method === 'POST' && route !== ACCESS_TOKEN_ROUTE
    ? 'it may have been delivered, check before sending again'
    : undefined;
}

/** Platform codes of a request the platform took and holds for audit (docs/protocol.md §8.5). */
export const AUDIT_CODES: ReadonlySet<number> = new Set([304023, 304024]);

/**
 * Whether an answer says the platform took the request and holds it for audit: a 2xx with an audit
 * code. A send declared auditable resolves to a `PendingAudit` then; on any other request it is an
 * `ApiError` whose request may yet be delivered.
 *
 * @param status - HTTP status of the answer
 * @param code - the platform's code in its body
 */
export function heldForAudit(status: number, code: number): boolean {
  return status >= 200 && status < 300 && AUDIT_CODES.has(code);
}
