/**
 * Where a shard gets the access token for Identify and Resume. `AccessTokenProvider` from
 * `@bot/http` (also `restClient.tokens`) fits as is.
 */
export interface TokenSource {
  /** Returns a valid bare access token (no `QQBot ` prefix), fetching one if needed. */
  get(options?: { signal?: AbortSignal }): Promise<string>;
  /** Marks a token the platform refused, so the next {@link TokenSource.get} fetches a new one. */
  invalidate(rejectedToken: string): void;
}
