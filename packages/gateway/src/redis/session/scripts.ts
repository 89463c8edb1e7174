import { LuaScript } from '../support/LuaScript.js';

/**
 * Lua function moving a stored session's seq forward, shared by the session store and the publish
 * script (see docs/redis-deployment.md, "Durable sequence"). `advanceSession(key, sessionId, seq)`
 * raises the seq of the session stored under `key` to `seq` when the stored session is
 * `sessionId` and its seq is lower, keeping the key's TTL. Returns the seq stored afterwards, or
 * -1 when no session `sessionId` is stored there (it was replaced, deleted, expired, or Redis lost
 * its data): nothing is then written, so an event of an old session never moves a new one.
 */
export const ADVANCE_SESSION_LUA = `
local function advanceSession(key, sessionId, seq)
  if sessionId == '' then return -1 end
  local raw = redis.call('GET', key)
  if not raw then return -1 end
  local ok, session = pcall(cjson.decode, raw)
  if not ok or type(session) ~= 'table' or session.sessionId ~= sessionId or type(session.seq) ~= 'number' then
    return -1
  end
  if session.seq >= seq then return session.seq end
  session.seq = seq
  redis.call('SET', key, cjson.encode(session), 'KEEPTTL')
  return seq
end
`;

/**
 * Lua function of the session writes fenced by shard leases (docs/redis-deployment.md, "One
 * process per shard"): `heldElsewhere()` returns the owner of the lease under `KEYS[2]` when it is
 * not the writer's token (the last ARGV), `nil` without a lease key, an expired lease, or the writer's own.
 */
const FENCE_LUA = `
local function heldElsewhere()
  if not KEYS[2] then return nil end
  local holder = redis.call('GET', KEYS[2])
  if holder and holder ~= ARGV[#ARGV] then return holder end
  return nil
end
`;

/**
 * Deletes a session unless another owner holds the shard's lease (see {@link FENCE_LUA}).
 * KEYS: session, lease. ARGV: token. Returns `''` when deleted (or absent), the other owner otherwise.
 */
export const DELETE_SESSION = new LuaScript(`${FENCE_LUA}
local holder = heldElsewhere()
if holder then return holder end
redis.call('DEL', KEYS[1])
return ''
`);

/**
 * Stores a session with a TTL; a write of the session already stored never moves its seq back
 * (the publish script may have moved it past the seq this write carries). With the shard's lease
 * key, nothing is written while another owner holds the lease (see {@link FENCE_LUA}).
 * KEYS: session[, lease]. ARGV: session id, seq, shard count, TTL ms[, token]. Returns
 * `{seq, found}`: the seq stored, and 1 when the key held this session before the write, 0 when
 * it did not (a first write, or the session was lost); or the other owner (a string) when fenced off.
 */
export const STORE_SESSION = new LuaScript(`${FENCE_LUA}
local holder = heldElsewhere()
if holder then return holder end
local seq = tonumber(ARGV[2])
local found = 0
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, old = pcall(cjson.decode, raw)
  if ok and type(old) == 'table' and old.sessionId == ARGV[1] and type(old.seq) == 'number' then
    found = 1
    if old.seq > seq then seq = old.seq end
  end
end
redis.call('SET', KEYS[1], cjson.encode({sessionId = ARGV[1], seq = seq, shardCount = tonumber(ARGV[3])}), 'PX', ARGV[4])
return {seq, found}
`);

/**
 * Moves a stored session's seq forward (see {@link ADVANCE_SESSION_LUA}), for a publisher whose
 * last publishes checkpointed less than they published.
 * KEYS: session. ARGV: session id, seq. Returns the seq stored, or -1 when the session is not.
 */
export const ADVANCE_SESSION = new LuaScript(`${ADVANCE_SESSION_LUA}
return advanceSession(KEYS[1], ARGV[1], tonumber(ARGV[2]))
`);
