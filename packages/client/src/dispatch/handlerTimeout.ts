/**
 * Default handler deadline: 60 s. Four times what one REST call may take in all (15 s by default,
 * retries and rate-limit waits included) and as long as a streamed reply may sit idle, so handlers
 * doing real work stay far below it; a handler that never settles then holds its shard for a minute,
 * not for good.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 60_000;
