import { ADVANCE_SESSION_LUA } from '../session/scripts.js';
import { LuaScript } from '../support/LuaScript.js';

/**
 * Appends a dispatch to the stream unless its marker key is already set, and in the same round
 * trip moves the shard's stored session to the seq below which every dispatch is in the stream:
 * the stream is the checkpoint (docs/redis-deployment.md, "Durable sequence").
 *
 * The marker is the event id's (so a second publish of one event within the dedupe window is
 * dropped) or, for an event without an id, the publish's own. It holds the token of the publish
 * that set it, so a retried try of that same publish (whose first try went through unseen) is
 * recognised and not appended twice. The stream is not capped here: the publisher trims only what
 * every consumer group has read (`support/streamTrim.ts`).
 * KEYS: stream, marker, session (the stream again when there is none). ARGV: marker lifetime ms,
 * publish token, session id ('' for none), durable seq, then the entry's field/value
 * pairs.
 * Returns `{outcome, storedSeq}`: outcome is the new entry id, `'again'` for a retried try that had
 * gone through, or `'repeat'`; storedSeq is the session's seq afterwards, -1 when that session is
 * not stored. When Redis refuses the XADD (wrong key type, out of memory), the marker is taken
 * back and the error returned: the event is not in the stream, so a later publish of it must not
 * count as a repeat.
 */
export const PUBLISH = new LuaScript(`${ADVANCE_SESSION_LUA}
local durable = tonumber(ARGV[4])
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[1]) then
  local outcome = 'repeat'
  if redis.call('GET', KEYS[2]) == ARGV[2] then outcome = 'again' end
  return {outcome, advanceSession(KEYS[3], ARGV[3], durable)}
end
local added = redis.pcall('XADD', KEYS[1], '*', unpack(ARGV, 5))
if type(added) == 'table' and added.err then
  redis.call('DEL', KEYS[2])
  return added
end
return {added, advanceSession(KEYS[3], ARGV[3], durable)}
`);
