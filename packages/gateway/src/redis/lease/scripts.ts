import { LuaScript } from '../support/LuaScript.js';

/**
 * What the lease scripts share: the shard counts of the leases. KEYS[2] is the set of counts;
 * count `c` keeps its leases in the sorted set `KEYS[2]:c`, shard ids scored by expiry in Redis
 * time (one clock for every host). A count whose leases all expired or were released leaves the
 * set the next time it is looked at, so stale data never blocks another count. Checking costs a
 * look per count in the set (one, or two during a mistaken rollout), not per lease.
 */
const COUNTS = `
if redis.replicate_commands then redis.replicate_commands() end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- The first live lease of a count other than 'count': {count, shard, expiry}; forgets expired ones.
local function otherCount(counts, count, now)
  for _, c in ipairs(redis.call('SMEMBERS', counts)) do
    if c ~= count then
      local leases = counts .. ':' .. c
      redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
      local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
      if #first == 0 then redis.call('SREM', counts, c) else return {c, first[1], tonumber(first[2])} end
    end
  end
  return nil
end
-- Records that 'shard' of 'count' holds a lease until now + ttl; both keys outlive every lease in them.
local function record(counts, count, shard, now, ttl)
  local leases = counts .. ':' .. count
  redis.call('ZADD', leases, now + ttl, shard)
  redis.call('SADD', counts, count)
  if redis.call('PTTL', leases) < ttl then redis.call('PEXPIRE', leases, ttl) end
  if redis.call('PTTL', counts) < ttl then redis.call('PEXPIRE', counts, ttl) end
end
`;

/**
 * Takes a shard's lease: `SET NX PX`, or a fresh TTL when the key holds this claim's token already
 * (a try that timed out had gone through). Each `acquire` call claims with a token of its own, so
 * no other claim, even of the same owner name, passes here. With a shard count, a live lease of
 * another count refuses the claim first, and a lease taken is recorded under its count.
 * KEYS: owner key, counts set. ARGV: token, TTL ms, shard count ('' for none), shard id, the
 * prefix of lease keys (`…:shard:`). Returns `{1, token, ttl}` when held, `{0, holder, remaining
 * ms}` (`-1`: the holder's key has no TTL), or `{2, other count, its shard, remaining ms, holder}`.
 */
export const CLAIM_LEASE = new LuaScript(`${COUNTS}
local now = nowMs()
if ARGV[3] ~= '' then
  local other = otherCount(KEYS[2], ARGV[3], now)
  if other then
    local holder = redis.call('GET', ARGV[5] .. other[2] .. ':owner') or ''
    return {2, other[1], other[2], other[3] - now, holder}
  end
end
local held = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
if not held then
  local holder = redis.call('GET', KEYS[1])
  if holder ~= ARGV[1] then return {0, holder, redis.call('PTTL', KEYS[1])} end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if ARGV[3] ~= '' then record(KEYS[2], ARGV[3], ARGV[4], now, tonumber(ARGV[2])) end
return {1, ARGV[1], tonumber(ARGV[2])}
`);

/**
 * Renews a lease only while it holds this claim's token: a fresh TTL when held, taken again when
 * it expired with nobody else claiming it (an outage outlasted the TTL, or Redis lost its data).
 * With a shard count, records it again and looks for a live lease of another count.
 * KEYS: owner key, counts set. ARGV: token, TTL ms, shard count ('' for none), shard id, prefix of
 * lease keys. Returns `{''}` when held (again), with `other count, its shard, its holder` when a
 * lease of another count lives; `{holder}` when another claim holds it.
 */
export const RENEW_LEASE = new LuaScript(`${COUNTS}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return {holder} end
if holder then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if ARGV[3] == '' then return {''} end
local now = nowMs()
record(KEYS[2], ARGV[3], ARGV[4], now, tonumber(ARGV[2]))
local other = otherCount(KEYS[2], ARGV[3], now)
if not other then return {''} end
return {'', other[1], other[2], redis.call('GET', ARGV[5] .. other[2] .. ':owner') or ''}
`);

/**
 * Deletes a lease only while it holds this claim's token, and its record under its shard count, so
 * a re-sharded fleet can start at once after a clean shutdown. KEYS: owner key, counts set.
 * ARGV: token, shard count ('' for none), shard id. Returns 1 if deleted.
 */
export const RELEASE_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then
  local leases = KEYS[2] .. ':' .. ARGV[2]
  redis.call('ZREM', leases, ARGV[3])
  if redis.call('ZCARD', leases) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
end
return 1
`);

/**
 * The shards of one count with a live lease, for the gap warning. KEYS: counts set. ARGV: the
 * shard count. Returns the shard ids.
 */
export const LIVE_SHARDS = new LuaScript(`${COUNTS}
local live = redis.call('ZRANGEBYSCORE', KEYS[1] .. ':' .. ARGV[1], '(' .. nowMs(), '+inf')
local seen = {}
for _, id in ipairs(live) do seen[id] = true end
-- A lease taken without a count (a process of an older version, or a caller of acquire that gave
-- none) is in no count's set: its key still says a process runs the shard.
for id = 0, tonumber(ARGV[1]) - 1 do
  local shard = tostring(id)
  if not seen[shard] and redis.call('EXISTS', ARGV[2] .. shard .. ':owner') == 1 then
    table.insert(live, shard)
  end
end
return live
`);
