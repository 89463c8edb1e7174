import { LuaScript } from '../support/LuaScript.js';

/**
 * Takes a shard's lease: `SET NX PX`, or a fresh TTL when the key holds this claim's token already
 * (a try that timed out had gone through). Each `acquire` call claims with a token of its own, so
 * no other claim, even of the same owner name, passes here.
 * KEYS: owner key. ARGV: token, TTL ms. Returns `{1, token, ttl}` when held, or
 * `{0, holder, remaining ms}` (`-1`: the holder's key has no TTL).
 */
export const CLAIM_LEASE = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ARGV[1], tonumber(ARGV[2])} end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, holder, tonumber(ARGV[2])}
end
return {0, holder, redis.call('PTTL', KEYS[1])}
`);

/**
 * Renews a lease only while it holds this claim's token: a fresh TTL when held, taken again when
 * it expired with nobody else claiming it (an outage outlasted the TTL, or Redis lost its data).
 * KEYS: owner key. ARGV: token, TTL ms. Returns `''` when held (again), the other holder otherwise.
 */
export const RENEW_LEASE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return ''
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ''
end
return holder
`);

/** Deletes a lease only while it holds this claim's token. KEYS: owner key. ARGV: token. Returns 1 if deleted. */
export const RELEASE_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
