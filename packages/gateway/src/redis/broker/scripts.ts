import { LuaScript } from '../support/LuaScript.js';

/**
 * Appends a dispatch to the stream unless its event id was published within the dedupe window.
 * The id's marker holds the token of the publish that set it, so a retried try of that same
 * publish (whose first try went through unseen) is recognised and not appended twice.
 * KEYS: stream, and the event id's marker key when there is an id to dedupe by.
 * ARGV: dedupe window ms, approximate max length, shard, payload, publish token.
 * Returns the new entry id, `'again'` for a retried try that had gone through, or nil for a repeat.
 */
export const PUBLISH = new LuaScript(`
if #KEYS == 2 and not redis.call('SET', KEYS[2], ARGV[5], 'NX', 'PX', ARGV[1]) then
  if redis.call('GET', KEYS[2]) == ARGV[5] then return 'again' end
  return false
end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'shard', ARGV[3], 'payload', ARGV[4])
`);
