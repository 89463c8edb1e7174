import type { Redis } from 'ioredis';
import type { RedisKeys } from '../RedisKeys.js';
import { ADVANCE_SESSION_LUA } from '../session/scripts.js';
import { LuaScript } from '../support/LuaScript.js';

/**
 * How the publisher recognises an event it has already put in the stream:
 * - `'sequence'` (the default): by the shard's session and sequence number, for dispatches of a
 *   session the publisher checkpoints (a `RedisSessionStore` given this publisher). The stored
 *   session's seq is the high-water mark below which everything is in the stream; the few events
 *   appended above it (publishes landing out of order) are listed in one small sorted set per
 *   session until the mark passes them. No key per event: a replay after a crashed process's
 *   shards resume is dropped all the same. Other events (webhook deliveries, shards without a
 *   linked store) fall back to `'eventId'`. Like the checkpoint, it relies on each shard's
 *   publishes beginning in seq order, as `attach` makes them; a publish retried across a new
 *   identify of its shard may be appended twice (never lost).
 * - `'eventId'`: one marker key per event id for the dedupe window (≈ 200 B each), which also
 *   catches the same event id arriving twice under different sequence numbers.
 *
 * docs/redis-deployment.md, "Sizing", has the figures.
 */
export type DedupeStorage = 'sequence' | 'eventId';

/**
 * Appends a dispatch of a checkpointed session unless the session already has it: its seq is at
 * or below the stored seq of that session, or listed as appended above it. Then, like `PUBLISH`,
 * moves the stored session to the durable seq in the same round trip (further when the event
 * closes the gap above the stored seq: then it and the listed seqs that follow on are in the
 * stream), lists the event when it lies above what is now stored, and forgets what the stored seq
 * has passed. A retried try whose
 * first try went through is recognised the same way, so it needs no marker of its own.
 * An event whose id was marked by an `eventId` publish (one sent before the session was
 * checkpointed) counts as there too.
 * The list holds at most `cap` seqs, the lowest dropped first: while the session stays missing
 * from Redis (stored seq -1) every event is listed, and a session whose key never comes back would
 * otherwise grow it for as long as the list lives. A dropped seq can only make a late retry of it
 * appended twice, never lost.
 * KEYS: stream, session, the session's list of events appended above its stored seq, the event
 * id's marker (the stream again for an event without an id).
 * ARGV: list lifetime ms (the dedupe window), session id, durable seq, the event's seq, the list's
 * cap, then the entry's field/value pairs.
 * Returns `{outcome, storedSeq}` as `PUBLISH` does (`'repeat'` for an event already there).
 */
export const PUBLISH_BY_SEQUENCE = new LuaScript(`${ADVANCE_SESSION_LUA}
local seq, durable = tonumber(ARGV[4]), tonumber(ARGV[3])
local stored = -1
local raw = redis.call('GET', KEYS[2])
if raw then
  local ok, session = pcall(cjson.decode, raw)
  if ok and type(session) == 'table' and session.sessionId == ARGV[2] and type(session.seq) == 'number' then
    stored = session.seq
  end
end
local marked = KEYS[4] ~= KEYS[1] and redis.call('EXISTS', KEYS[4]) == 1
if seq <= stored or marked or redis.call('ZSCORE', KEYS[3], ARGV[4]) then
  return {'repeat', advanceSession(KEYS[2], ARGV[2], durable)}
end
local added = redis.pcall('XADD', KEYS[1], '*', unpack(ARGV, 6))
if type(added) == 'table' and added.err then return added end
-- Commands of one connection run in order: when the stored seq is just below this one, every
-- seq up to this one is in the stream now, and so is each listed seq that follows on.
if stored >= 0 then
  local reach = math.max(durable, stored)
  if stored == seq - 1 then reach = math.max(reach, seq) end
  while redis.call('ZSCORE', KEYS[3], tostring(reach + 1)) do reach = reach + 1 end
  durable = reach
end
stored = advanceSession(KEYS[2], ARGV[2], durable)
if seq > stored then
  redis.call('ZADD', KEYS[3], seq, ARGV[4])
  local cap = tonumber(ARGV[5])
  if redis.call('ZCARD', KEYS[3]) > cap then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(cap + 1)) end
end
if stored >= 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', stored) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[1]) end
return {added, stored}
`);

/**
 * Seqs a session's list of events appended above its stored seq holds at most: the publisher's
 * default backlog bound, so every publish of one process that can be under way at once fits.
 */
export const MAX_LISTED_AHEAD = 10_000;

/** The session a publish try checkpoints (what the publisher's checkpoints work out per try). */
export interface SequenceCheckpoint {
  /** The session's key. */
  key: string;
  /** The session id, `''` for none (such a publish cannot be deduplicated by sequence). */
  sessionId: string;
  /** The seq below which every dispatch of the shard is in the stream once this one is. */
  durable: number;
}

/** The event a {@link publishBySequence} appends. */
export interface SequencedEvent {
  shardId: number | undefined;
  seq: number | undefined;
  eventId: string | undefined;
  /** The stream entry's field/value pairs. */
  entry: readonly string[];
}

/**
 * One try of publishing a dispatch of a checkpointed session, deduplicated by sequence (see
 * {@link PUBLISH_BY_SEQUENCE}); its reply reads like `PUBLISH`'s. Dispatches without a shard or
 * seq cannot be: they go through `PUBLISH` and its markers.
 *
 * @param redis - the publisher's connection
 * @param keys - the bot's keys
 * @param event - shard, seq, id and entry of the dispatch
 * @param checkpoint - the session the try checkpoints, and how far
 * @param windowMs - the dedupe window: how long a session's list outlives its last change
 * @param aheadCap - seqs the session's list holds at most ({@link MAX_LISTED_AHEAD} by default)
 */
export function publishBySequence(
  redis: Redis,
  keys: RedisKeys,
  event: SequencedEvent,
  checkpoint: SequenceCheckpoint,
  windowMs: number,
  aheadCap = MAX_LISTED_AHEAD,
): Promise<unknown> | undefined {
  const { shardId, seq, eventId, entry } = event;
  if (shardId === undefined || seq === undefined || checkpoint.sessionId === '') return undefined;
  const marker = eventId === undefined || eventId === '' ? keys.events : keys.seenPrefix + eventId;
  return PUBLISH_BY_SEQUENCE.run(
    redis,
    [keys.events, checkpoint.key, keys.publishedAhead(shardId, checkpoint.sessionId), marker],
    [windowMs, checkpoint.sessionId, checkpoint.durable, seq, aheadCap, ...entry],
  );
}
