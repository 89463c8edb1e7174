import type { Redis } from 'ioredis';
import { LuaScript } from './LuaScript.js';

/**
 * Trims the event stream below what every consumer group has read, and, when a lossy cap is set,
 * to that cap, atomically (docs/redis-deployment.md, "Stream trimming and consumer lag").
 *
 * A group still needs every entry after its last-delivered id (undelivered) and every entry in its
 * pending list (delivered, not acknowledged), so the oldest entry any group needs is the lowest
 * of: each group's oldest pending id, or its last-delivered id when nothing is pending. Entries
 * below it are removed (`XTRIM MINID`). With no group at all nothing is known to be read, and
 * nothing is trimmed. Then, with a cap, entries beyond it are removed unread (`XTRIM MAXLEN`), and
 * the range they spanned is returned for reporting.
 *
 * The lag is what the slowest group has not finished: its pending entries plus those not yet
 * delivered, never the acknowledged entries kept behind one old pending entry. Redis 7 reports
 * the undelivered count (`XINFO GROUPS` field `lag`); where it does not (older servers, or when it
 * cannot tell after deletions) they are counted with `XRANGE`, at most `countUpTo` of them.
 * KEYS: stream. ARGV: cap (0: none), countUpTo.
 * Returns `{groups, lag, unreadTrimmed, fromId, untilId, oldestPendingMs}`: unread entries removed,
 * from `fromId` to just before `untilId` (`''` when none, or when the stream is now empty), and
 * the age of the oldest pending entry (-1 when nothing is pending).
 */
const TRIM = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, 0, '', '', -1} end
local function before(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local countUpTo = tonumber(ARGV[2])
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
local oldest, oldestPending, lag = nil, nil, 0
for _, group in ipairs(groups) do
  local info = {}
  for i = 1, #group, 2 do info[group[i]] = group[i + 1] end
  local needed = info['last-delivered-id']
  local pending = redis.call('XPENDING', KEYS[1], info['name'])
  local undelivered = info['lag']
  if type(undelivered) ~= 'number' then
    undelivered = #redis.call('XRANGE', KEYS[1], '(' .. needed, '+', 'COUNT', countUpTo)
  end
  if pending[1] > 0 then
    needed = pending[2]
    if oldestPending == nil or before(needed, oldestPending) then oldestPending = needed end
  end
  lag = math.max(lag, undelivered + pending[1])
  if oldest == nil or before(needed, oldest) then oldest = needed end
end
if #groups == 0 then lag = redis.call('XLEN', KEYS[1]) end
if oldest ~= nil then redis.call('XTRIM', KEYS[1], 'MINID', oldest) end
local oldestPendingMs = -1
if oldestPending ~= nil then
  local now = redis.call('TIME')
  local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  oldestPendingMs = math.max(0, nowMs - tonumber(string.match(oldestPending, '(%d+)-')))
end
local length = redis.call('XLEN', KEYS[1])
local cap = tonumber(ARGV[1])
if cap == 0 or length <= cap then return {#groups, lag, 0, '', '', oldestPendingMs} end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
local removed = redis.call('XTRIM', KEYS[1], 'MAXLEN', cap)
local rest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
local untilId = ''
if rest then untilId = rest[1] end
return {#groups, math.min(lag, length - removed), removed, first, untilId, oldestPendingMs}
`);

/** What one trim found and did. */
export interface TrimOutcome {
  /** Consumer groups reading the stream. */
  groups: number;
  /**
   * Entries the slowest group has not finished: pending plus not yet delivered (or, with no
   * group, every entry). Counted up to `countUpTo` where Redis does not report it.
   */
  lag: number;
  /** Entries removed before any group read them (only with a cap). */
  unreadTrimmed: number;
  /** Id of the first of them. */
  fromId: string;
  /** Id of the first entry kept after them (`''` when none is). */
  untilId: string;
  /** Age of the oldest entry still pending in any group, in milliseconds (-1: none is). */
  oldestPendingMs: number;
}

/**
 * Runs the trim once.
 *
 * @param redis - the connection
 * @param stream - the event stream's key
 * @param cap - entries kept at most, read or not (0: only read entries are trimmed)
 * @param countUpTo - the most undelivered entries to count where Redis does not report them
 */
export async function trimStream(
  redis: Redis,
  stream: string,
  cap: number,
  countUpTo: number,
): Promise<TrimOutcome> {
  const [groups, lag, unreadTrimmed, fromId, untilId, oldestPendingMs] = (await TRIM.run(
    redis,
    [stream],
    [cap, countUpTo],
  )) as [number, number, number, string, string, number];
  return { groups, lag, unreadTrimmed, fromId, untilId, oldestPendingMs };
}
