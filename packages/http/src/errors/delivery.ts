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
 * Whether a network failure happened before the request left the machine (connection refused or
 * timed out, DNS), so that re-sending it cannot duplicate anything.
 *
 * @param reason - the failure's code, as `describeNetworkError` names it
 */
export function wasNeverSent(reason: string): boolean {
  return NEVER_SENT.has(reason);
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
