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
 */
export const PUBLISH = new LuaScript(`
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[1]) then
  if redis.call('GET', KEYS[2]) == ARGV[3] then return 'again' end
  return false
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 4))
`);
