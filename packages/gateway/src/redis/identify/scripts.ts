import { LuaScript } from '../support/LuaScript.js';
import { isStoredIdentifyField, STORED_FIELD_CHECKS, type StoredIdentifyField } from './storedFields.js';

/*
 * The identify queue's server side. KEYS[1] is the state hash; every other key extends its name
 * (same hash tag). Times are milliseconds on the Redis-aligned clock of the calling process.
 *
 * State hash fields: total, remaining, resetAt, periodMs (the session budget), maxConcurrency,
 * windowMs, tickets (a counter giving waiters their place in line).
 */

/**
 * Helpers shared by the scripts: `int` writes a number without an exponent (Lua would turn
 * 1.7e12 into "1.7e+12"), `roll` moves the budget into the current period.
 */
const PRELUDE = `
local function int(x) return string.format('%.0f', x) end
local function roll(state, now)
  local s = redis.call('HMGET', state, 'total', 'remaining', 'resetAt', 'periodMs')
  local total, remaining, resetAt, period = tonumber(s[1]), tonumber(s[2]), tonumber(s[3]), tonumber(s[4])
  if now >= resetAt then
    resetAt = resetAt + (math.floor((now - resetAt) / period) + 1) * period
    remaining = total
    redis.call('HSET', state, 'remaining', int(remaining), 'resetAt', int(resetAt))
  end
  return remaining, resetAt
end
`;

/** What a script returns for a stored field it cannot use: `{-2, field, value found}`. */
export const BAD_STORED = -2;

/** What {@link RELEASE} returns when the state hash is missing (ACQUIRE's is `{-1, 0}`). */
export const STATE_MISSING = -1;

/** The fields `ACQUIRE` computes with, checked in this order before anything is written. */
const TURN_FIELDS = "{'maxConcurrency', 'windowMs', 'periodMs', 'total', 'remaining', 'resetAt', 'tickets'}";

/**
 * Creates the shared state on first use. Later callers keep it, except that a lower count of
 * remaining starts from the platform wins (starts made by anything outside this queue).
 * A caller that had used the state before and found it gone (Redis restarted without its data)
 * passes `closeForMs` > 0: whatever was granted before the loss is unknown, so every bucket stays
 * closed that long from now (a window plus the margin), if the state was created within that
 * time (by this call, or by another process that came up after the same loss).
 * A stored field the scripts compute with that breaks its rule in `STORED_FIELDS` (written by
 * hand, or by a version without the rule) is replaced by the caller's value: a maxConcurrency
 * out of bounds would give every shard a bucket of its own (and closing the buckets would loop
 * over each inside the script), a negative window would leave every bucket open. The ticket
 * counter is set to the highest place taken in a line, so waiters keep their order; a remaining
 * count to at most the stored total.
 * ARGV: now, total, remaining, resetAfterMs, periodMs, maxConcurrency, windowMs, closeForMs.
 * Returns the maxConcurrency, windowMs, remaining and resetAt in force, then the fields it
 * replaced with the values they held, as a list `{field, value, field, value, …}`.
 */
export const INIT = new LuaScript(`${PRELUDE}${STORED_FIELD_CHECKS}
local state = KEYS[1]
local now, closeFor = tonumber(ARGV[1]), tonumber(ARGV[8])
local replaced = {}
if redis.call('EXISTS', state) == 0 then
  redis.call('HSET', state, 'total', ARGV[2], 'remaining', ARGV[3], 'resetAt', int(now + tonumber(ARGV[4])),
    'periodMs', ARGV[5], 'maxConcurrency', ARGV[6], 'windowMs', ARGV[7], 'tickets', 0, 'createdAt', int(now))
else
  local own = { maxConcurrency = ARGV[6], windowMs = ARGV[7], periodMs = ARGV[5], total = ARGV[2],
    remaining = ARGV[3], resetAt = int(now + tonumber(ARGV[4])) }
  for _, field in ipairs(${TURN_FIELDS}) do
    local n, stored = storedField(state, field)
    if not n then
      local value = own[field]
      if field == 'tickets' then
        -- maxConcurrency is in bounds by now: it comes first.
        value = 0
        for bucket = 0, tonumber(redis.call('HGET', state, 'maxConcurrency')) - 1 do
          local last = redis.call('ZREVRANGE', state .. ':queue:' .. bucket, 0, 0, 'WITHSCORES')[2]
          value = math.max(value, tonumber(last or '0'))
        end
        value = int(value)
      elseif RULES[field][5] then
        -- The bound (the total) comes first and is in its range by now.
        value = int(math.min(tonumber(value), storedField(state, RULES[field][5])))
      end
      redis.call('HSET', state, field, value)
      table.insert(replaced, field)
      table.insert(replaced, stored or '')
    end
  end
  local remaining = roll(state, now)
  if tonumber(ARGV[3]) < remaining then redis.call('HSET', state, 'remaining', ARGV[3]) end
end
-- An unreadable createdAt counts as recent: closing the buckets is the safe side.
if closeFor > 0 and (tonumber(redis.call('HGET', state, 'createdAt') or '0') or now) > now - closeFor then
  local mc = tonumber(redis.call('HGET', state, 'maxConcurrency'))
  for bucket = 0, mc - 1 do
    local nextKey = state .. ':next:' .. bucket
    redis.call('SET', nextKey, int(math.max(tonumber(redis.call('GET', nextKey) or '0'), now + closeFor)))
  end
end
local remaining, resetAt = roll(state, now)
local config = redis.call('HMGET', state, 'maxConcurrency', 'windowMs')
return {config[1], config[2], int(remaining), int(resetAt), replaced}
`);

/**
 * One try for a turn. Joins the bucket's line on the first call, renews the caller's lease, drops
 * waiters ahead whose lease ran out, and grants the turn when the caller is first in line, the
 * bucket's window is open and a session start is left. The bucket then stays closed for the
 * window plus the caller's safety margin, until `SENT` moves that to the frame's send time.
 * `floor` is when the caller's own process last saw the bucket's window end (its grants and sends):
 * the bucket never opens before it, even when Redis lost the shared time.
 * ARGV: now, ticket, shardId, leaseMs, marginMs, floor.
 * Returns {1, 0, remaining, resetAt, total} when granted ({1, 0} for a ticket granted before: a
 * repeated call), {0, ms, remaining, resetAt, total} to try again in ms (remaining 0: the wait is
 * for the budget's reset at resetAt), {-1, 0} when the state is missing, or {-2, field, stored}
 * when a stored field it computes with breaks its rule in `STORED_FIELDS` (nothing written).
 */
export const ACQUIRE = new LuaScript(`${PRELUDE}${STORED_FIELD_CHECKS}
local state = KEYS[1]
local now, ticket = tonumber(ARGV[1]), ARGV[2]
if redis.call('EXISTS', state .. ':grant:' .. ticket) == 1 then return {1, 0} end
if redis.call('EXISTS', state) == 0 then return {-1, 0} end
local field, stored = badField(state, ${TURN_FIELDS})
if field then return {${BAD_STORED}, field, stored} end
local mc = storedField(state, 'maxConcurrency')
local remaining, resetAt = roll(state, now)
local config = redis.call('HMGET', state, 'maxConcurrency', 'windowMs', 'total')
local bucket = tonumber(ARGV[3]) % mc
local line, leases = state .. ':queue:' .. bucket, state .. ':leases'
local nextKey = state .. ':next:' .. bucket
redis.call('ZADD', leases, int(now + tonumber(ARGV[4])), ticket)
if not redis.call('ZSCORE', line, ticket) then
  redis.call('ZADD', line, redis.call('HINCRBY', state, 'tickets', 1), ticket)
end
local head
repeat
  head = redis.call('ZRANGE', line, 0, 0)[1]
  local expiry = tonumber(redis.call('ZSCORE', leases, head) or '0')
  if head ~= ticket and expiry < now then
    redis.call('ZREM', line, head)
    redis.call('ZREM', leases, head)
    head = nil
  end
until head
local previous = tonumber(redis.call('GET', nextKey) or '0')
local openAt = math.max(previous, tonumber(ARGV[6]))
if remaining <= 0 then openAt = math.max(openAt, resetAt) end
if head ~= ticket or openAt > now then
  return {0, math.max(openAt - now, 0), int(remaining), int(resetAt), config[3]}
end
local window = tonumber(config[2]) + tonumber(ARGV[5])
redis.call('ZREM', line, ticket)
redis.call('ZREM', leases, ticket)
redis.call('SET', nextKey, int(now + window))
redis.call('HINCRBY', state, 'remaining', -1)
local grant = state .. ':grant:' .. ticket
redis.call('HSET', grant, 'bucket', bucket, 'previous', int(previous), 'until', int(now + window), 'resetAt', int(resetAt))
-- PEXPIRE takes whole milliseconds only; a window may have a fraction.
redis.call('PEXPIRE', grant, int(math.ceil(window)))
return {1, 0, int(remaining - 1), int(resetAt), config[3]}
`);

/** One try of {@link ACQUIRE}, parsed. */
export interface AcquireReply {
  /** 1: granted; 0: try again in `delayMs`; -1: the shared state is missing; -2: see `badStored`. */
  status: number;
  /** How long to wait before trying again (status 0). */
  delayMs: number;
  /** The stored field the script refused, and its value (status -2; `''` when missing). */
  badStored?: StoredRefusal;
  /** The shared budget as the script read it (absent from a repeated grant or a missing state). */
  budget?: { remaining: number; resetAt: number; total: number };
}

/**
 * Reads the reply of {@link ACQUIRE}.
 *
 * @throws `Error` for a reply of another shape (a script of another version)
 */
export function parseAcquireReply(reply: unknown): AcquireReply {
  if (!Array.isArray(reply) || (reply.length !== 2 && reply.length !== 3 && reply.length !== 5))
    throw new Error(`unexpected identify script reply: ${String(reply)}`);
  if (reply.length === 3) {
    const badStored = parseRefusal(reply);
    if (badStored === undefined) throw new Error(`unexpected identify script reply: ${String(reply)}`);
    return { status: BAD_STORED, delayMs: 0, badStored };
  }
  const [status = Number.NaN, delayMs = 0, remaining, resetAt, total] = reply.map(Number);
  if (remaining === undefined || resetAt === undefined || total === undefined) return { status, delayMs };
  return { status, delayMs, budget: { remaining, resetAt, total } };
}

/**
 * The Identify frame of a granted turn went out: the bucket stays closed until a window plus the
 * caller's margin after now, never shorter than it already was. Written apart from the grant
 * because the frame leaves after it (a token fetch, a busy event loop), and the platform counts
 * the window from the frame. ARGV: now, shardId, marginMs. Returns when the bucket opens again
 * (0 when the state is missing), or {-2, field, stored} when the stored maxConcurrency or
 * windowMs breaks its rule (nothing written).
 */
export const SENT = new LuaScript(`${STORED_FIELD_CHECKS}
local function int(x) return string.format('%.0f', x) end
local state = KEYS[1]
if redis.call('EXISTS', state) == 0 then return 0 end
local field, stored = badField(state, {'maxConcurrency', 'windowMs'})
if field then return {${BAD_STORED}, field, stored} end
local mc, window = storedField(state, 'maxConcurrency'), storedField(state, 'windowMs')
local nextKey = state .. ':next:' .. (tonumber(ARGV[2]) % mc)
local openAt = math.max(tonumber(redis.call('GET', nextKey) or '0'), tonumber(ARGV[1]) + window + tonumber(ARGV[3]))
redis.call('SET', nextKey, int(openAt))
return openAt
`);

/**
 * Leaves the line without a turn (an aborted wait). ARGV: ticket, shardId. Returns 1, or
 * {-2, 'maxConcurrency', stored} when the stored maxConcurrency is no bucket count: the lease is
 * given up all the same (the line drops a ticket without one once it is first), the bucket's
 * line is not touched. A missing state counts as one bucket: its lines went with it.
 */
export const LEAVE = new LuaScript(`${STORED_FIELD_CHECKS}
local state = KEYS[1]
redis.call('ZREM', state .. ':leases', ARGV[1])
local mc, stored = 1, nil
if redis.call('HEXISTS', state, 'maxConcurrency') == 1 then mc, stored = storedField(state, 'maxConcurrency') end
if not mc then return {${BAD_STORED}, 'maxConcurrency', stored} end
redis.call('ZREM', state .. ':queue:' .. (tonumber(ARGV[2]) % mc), ARGV[1])
return 1
`);

/** A stored field a script refused to use, and the value it held (`''` when missing). */
export interface StoredRefusal {
  field: StoredIdentifyField;
  stored: string;
}

/**
 * Reads a refusal, `{-2, field, stored}`, from the reply of {@link ACQUIRE}, {@link SENT},
 * {@link LEAVE} or {@link RELEASE}: `undefined` for any other reply.
 */
export function parseRefusal(reply: unknown): StoredRefusal | undefined {
  if (!Array.isArray(reply) || reply.length !== 3 || Number(reply[0]) !== BAD_STORED) return undefined;
  const field = String(reply[1]);
  return isStoredIdentifyField(field) ? { field, stored: String(reply[2] ?? '') } : undefined;
}

/**
 * Gives back a turn granted to a wait that was aborted meanwhile: the session start returns to
 * the budget (same period only, never past the total) and the bucket's window reopens (unless
 * someone used it since). ARGV: ticket. Returns 1, 0 when the grant is gone (given back before, or
 * its window over), -1 when the state is missing while the grant is not (the hash deleted by hand
 * or evicted): the grant is deleted and nothing else written, the caller sets the state up again
 * as after ACQUIRE's -1. Or {-2, field, stored} when the stored total or remaining breaks its rule
 * in `STORED_FIELDS`: nothing is written, so the start stays spent and the bucket closed until the
 * grant's window ends, the safe side of a count nobody can read.
 */
export const RELEASE = new LuaScript(`${STORED_FIELD_CHECKS}
local state = KEYS[1]
local grant = state .. ':grant:' .. ARGV[1]
local g = redis.call('HMGET', grant, 'bucket', 'previous', 'until', 'resetAt')
if not g[1] then return 0 end
-- No budget to give the start back to; a missing total is no bad value to fix by hand.
if redis.call('EXISTS', state) == 0 then
  redis.call('DEL', grant)
  return ${STATE_MISSING}
end
local field, stored = badField(state, {'total', 'remaining'})
if field then return {${BAD_STORED}, field, stored} end
redis.call('DEL', grant)
if redis.call('HGET', state, 'resetAt') == g[4]
  and storedField(state, 'remaining') < storedField(state, 'total') then
  redis.call('HINCRBY', state, 'remaining', 1)
end
local nextKey = state .. ':next:' .. g[1]
if redis.call('GET', nextKey) == g[3] then redis.call('SET', nextKey, g[2]) end
return 1
`);
