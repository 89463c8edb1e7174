import { LuaScript } from '../support/LuaScript.js';

/**
 * Appends a dispatch to the stream unless its marker key is already set. The marker is the event
 * id's (so a second publish of one event within the dedupe window is dropped) or, for an event
 * without an id, the publish's own. It holds the token of the publish that set it, so a retried
 * try of that same publish (whose first try went through unseen) is recognised and not appended
 * twice.
 * KEYS: stream, marker. ARGV: marker lifetime ms, approximate max length, publish token, then
 * the entry's field/value pairs.
 * Returns the new entry id, `'again'` for a retried try that had gone through, or nil for a repeat.
 * When Redis refuses the XADD (wrong key type, out of memory), the marker is taken back before the
 * error is returned: the event is not in the stream, so a later publish of it must not count as a
 * repeat.
 */
export const PUBLISH = new LuaScript(`
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[1]) then
  if redis.call('GET', KEYS[2]) == ARGV[3] then return 'again' end
  return false
end
local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 4))
if type(added) == 'table' and added.err then redis.call('DEL', KEYS[2]) end
return added
`);
