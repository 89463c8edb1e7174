import { LuaScript } from '../support/LuaScript.js';

/*
 * The consumer group's housekeeping, each step one script so no other worker's read or claim can
 * fall between its check and its write.
 */

/**
 * Renews the entries a worker is still handling: each id still pending under this consumer is
 * claimed again by it (`XCLAIM … JUSTID`: its idle time starts over, its delivery count stays),
 * so no other worker's `XAUTOCLAIM` takes it over while its handler runs. An id another worker
 * has taken over meanwhile is left alone and returned.
 * KEYS: stream. ARGV: group, consumer, then the ids. Returns the ids owned by someone else now.
 */
export const RENEW_OWN = new LuaScript(`
local lost = {}
for i = 3, #ARGV do
  local entry = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
  if entry then
    if entry[2] == ARGV[2] then
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
    else
      table.insert(lost, ARGV[i])
    end
  end
end
return lost
`);

/**
 * Deletes the group's other consumers that have nothing pending and have been idle (no read, no
 * claim) for at least the given time. Checked and deleted in one step: `XGROUP DELCONSUMER`
 * drops the consumer's pending entries, so it must never meet a consumer that just read some.
 * KEYS: stream. ARGV: group, the caller's own name, least idle time in ms. Returns the names deleted.
 */
export const FORGET_IDLE_CONSUMERS = new LuaScript(`
local deleted = {}
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #consumer, 2 do info[consumer[i]] = consumer[i + 1] end
  if info['name'] ~= ARGV[2] and tonumber(info['pending']) == 0 and tonumber(info['idle']) >= tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    table.insert(deleted, info['name'])
  end
end
return deleted
`);

/**
 * Moves an entry to the dead-letter stream, then acknowledges it: the acknowledgement runs only
 * if the dead letter was written (a failing `XADD` ends the script), which a `MULTI` would not
 * ensure, since Redis runs a transaction's other commands whatever one of them fails with. An
 * entry no longer pending was parked or acknowledged already (a retried try that had landed,
 * another worker): nothing is written. KEYS: stream, dead-letter stream. ARGV: group, entry id,
 * dead-letter cap (`MAXLEN ~`), then the dead letter's fields and values. Returns the dead
 * letter's id, or nil for an entry no longer pending.
 */
export const PARK_ENTRY = new LuaScript(`
if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1) == 0 then return false end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return id
`);
