/**
 * The rules of the identify state's fields are stated once (`STORED_FIELDS`) and checked in two
 * languages: by the scripts' `storedField` in Lua, and by `storedFieldValue` for the budget that
 * `remaining()` reads into TypeScript. Both must take and refuse the same stored values, or a value
 * one accepts would fail the other (a remaining of `1.5` or `-0` passing one check and failing
 * HINCRBY, say).
 */
import { describe, expect, it } from 'vitest';
import { LuaScript } from '../../src/redis/support/LuaScript.js';
import {
  STORED_FIELD_CHECKS,
  STORED_FIELDS,
  storedFieldValue,
  type StoredIdentifyField,
} from '../../src/redis/identify/storedFields.js';
import { useRedisFixture } from './support/redisFixture.js';

const fixture = useRedisFixture();

/** The scripts' check of one field: the number as text (`%.17g`), or `false` when refused. */
const CHECK = new LuaScript(`${STORED_FIELD_CHECKS}
local n = storedField(KEYS[1], ARGV[1])
if n then return string.format('%.17g', n) end
return false
`);

/**
 * Values a field may hold: good ones, each kind of bad one, and the forms the two languages' number
 * parsers differ on (the checks take plain decimals only).
 */
const VALUES = [
  '0',
  '1',
  '7',
  '-0',
  '-1',
  '1.5',
  '7.0',
  '07',
  ' 7',
  '7 ',
  '+7',
  '1e3',
  '0x10',
  // Number() reads binary, octal and Unicode spaces; Lua's tonumber reads hex with an exponent.
  '0b101',
  '0o17',
  '0x1p4',
  '0x1.8',
  '\u00a07',
  '7\u00a0',
  '\u20287',
  '\t7',
  '1_0',
  '.5',
  '5.',
  '1e-7',
  '1.5e+3',
  '1e',
  '.',
  '',
  ' ',
  'nan',
  'inf',
  '-inf',
  'Infinity',
  'some',
  '999',
  '1000',
  '1001',
  '5000',
  '1500.5',
  '2147483647',
  '2147483648',
  '10000',
  '10001',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '1e300',
  null,
];

/** The stored total that bounds a remaining count. */
const TOTAL = '1000';

describe('the stored field checks of the scripts and of TypeScript', () => {
  const fields = Object.keys(STORED_FIELDS) as StoredIdentifyField[];
  it.each(fields)('take and refuse the same values of %s', async (field) => {
    const redis = fixture.redis();
    const state = `${fixture.prefix()}:identify`;
    const disagreements: string[] = [];
    for (const value of VALUES) {
      await redis.del(state);
      if (field !== 'total') await redis.hset(state, 'total', TOTAL);
      if (value !== null) await redis.hset(state, field, value);
      const lua = await CHECK.run(redis, [state], [field]);
      const stored: Partial<Record<StoredIdentifyField, string>> = { total: TOTAL };
      if (value === null) delete stored[field];
      else stored[field] = value;
      const ts = storedFieldValue(field, (name) => stored[name]);
      const luaValue = typeof lua === 'string' ? Number(lua) : undefined;
      if (luaValue !== ts) disagreements.push(`${JSON.stringify(value)}: Lua ${lua} ≠ TS ${ts}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('a remaining is bounded by the stored total, and by its own range when the total is bad', async () => {
    const read = (total: string, remaining: string) => (name: StoredIdentifyField) =>
      ({ total, remaining })[name as 'total' | 'remaining'];
    expect(storedFieldValue('remaining', read('1000', '1000'))).toBe(1_000);
    expect(storedFieldValue('remaining', read('1000', '1001'))).toBeUndefined();
    expect(storedFieldValue('remaining', read('lots', '1001'))).toBe(1_001);
  });
});
