import { quotedValue } from '@bot/core';
/** Longest session id taken from a store or a thread: the platform's are far shorter. */
export const MAX_SESSION_ID_LENGTH = 256;

/**
 * Whether a store's answer means it holds no session for the shard: `undefined`, or `null` (what
 * a Redis GET, say, gives for a missing key). Anything else is a session, or a malformed one.
 *
 * @param stored - what the store gave back
 */
export function isNoSession(stored: unknown): stored is undefined | null {
  return stored === undefined || stored === null;
}

/**
 * What keeps `value` from being a session a shard can resume with (a `SessionInfo`: a non-empty
 * `sessionId` of at most {@link MAX_SESSION_ID_LENGTH} characters, a `seq` ≥ 0 and a `shardCount`
 * ≥ 1, both integers), as a phrase naming the field; `undefined` when it is one.
 *
 * @param value - a session as a store or a worker thread gave it
 */
export function sessionInfoProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not an object';
  const { sessionId, seq, shardCount } = value as Record<string, unknown>;
  if (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > MAX_SESSION_ID_LENGTH)
    return `sessionId ${quotedValue(sessionId)} is not a text of 1 to ${MAX_SESSION_ID_LENGTH} characters`;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0)
    return `seq ${quotedValue(seq)} is not an integer ≥ 0`;
  if (!Number.isSafeInteger(shardCount) || (shardCount as number) < 1)
    return `shardCount ${quotedValue(shardCount)} is not an integer ≥ 1`;
  return undefined;
}
