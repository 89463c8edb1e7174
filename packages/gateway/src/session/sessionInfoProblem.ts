/** Longest session id taken from a store or a thread: the platform's are far shorter. */
export const MAX_SESSION_ID_LENGTH = 256;

/** How much of a text a problem quotes. */
const QUOTED_TEXT = 40;

/** A value as a problem names it: text quoted (and cut), anything else as JavaScript writes it. */
function shown(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value.length > QUOTED_TEXT ? `${value.slice(0, QUOTED_TEXT)}…` : value);
}

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
    return `sessionId ${shown(sessionId)} is not a text of 1 to ${MAX_SESSION_ID_LENGTH} characters`;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return `seq ${shown(seq)} is not an integer ≥ 0`;
  if (!Number.isSafeInteger(shardCount) || (shardCount as number) < 1)
    return `shardCount ${shown(shardCount)} is not an integer ≥ 1`;
  return undefined;
}
