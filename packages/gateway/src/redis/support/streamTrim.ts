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
 * nothing is trimmed. What is left is the slowest group's lag. Then, with a cap, entries beyond it
 * are removed unread (`XTRIM MAXLEN`), and the range they spanned is returned for reporting.
 * KEYS: stream. ARGV: cap (0: none).
 * Returns `{groups, lag, unreadTrimmed, fromId, untilId}`: unread entries removed, from `fromId`
 * to just before `untilId` (`''` when none, or when the stream is now empty).
 */
const TRIM = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, 0, '', ''} end
local function before(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
local oldest = nil
for _, group in ipairs(groups) do
  local name, delivered
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then delivered = group[i + 1] end
  end
  local needed = delivered
  local pending = redis.call('XPENDING', KEYS[1], name)
  if pending[1] > 0 then needed = pending[2] end
  if oldest == nil or before(needed, oldest) then oldest = needed end
end
if oldest ~= nil then redis.call('XTRIM', KEYS[1], 'MINID', oldest) end
local lag = redis.call('XLEN', KEYS[1])
local cap = tonumber(ARGV[1])
if cap == 0 or lag <= cap then return {#groups, lag, 0, '', ''} end
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1]
local removed = redis.call('XTRIM', KEYS[1], 'MAXLEN', cap)
local rest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
local untilId = ''
if rest then untilId = rest[1] end
return {#groups, lag - removed, removed, first, untilId}
`);

/** What one trim found and did. */
export interface TrimOutcome {
  /** Consumer groups reading the stream. */
  groups: number;
  /** Entries the slowest group has not acknowledged (or, with no group, every entry). */
  lag: number;
  /** Entries removed before any group read them (only with a cap). */
  unreadTrimmed: number;
  /** Id of the first of them. */
  fromId: string;
  /** Id of the first entry kept after them (`''` when none is). */
  untilId: string;
}

/**
 * Runs the trim once.
 *
 * @param redis - the connection
 * @param stream - the event stream's key
 * @param cap - entries kept at most, read or not (0: only read entries are trimmed)
 */
export async function trimStream(redis: Redis, stream: string, cap: number): Promise<TrimOutcome> {
  const [groups, lag, unreadTrimmed, fromId, untilId] = (await TRIM.run(redis, [stream], [cap])) as [
    number,
    number,
    number,
    string,
    string,
  ];
  return { groups, lag, unreadTrimmed, fromId, untilId };
}
