/**
 * Prefix of an access token wherever the platform takes one: the REST `Authorization` header and
 * the `token` of the gateway's Identify and Resume frames.
 */
export const ACCESS_TOKEN_PREFIX = 'QQBot ';

/**
 * The credential the platform expects for an access token: `QQBot {access_token}`.
 *
 * @param accessToken - a bare access token, as the token endpoint issued it
 */
export function authorization(accessToken: string): string {
  return ACCESS_TOKEN_PREFIX + accessToken;
}
