import { MAX_TIMER_DELAY } from '@bot/core';
import { MAX_IDENTIFY_CONCURRENCY } from '../../identify/IdentifyQueue.js';

/**
 * What the identify queue's scripts accept in one field of the shared state hash: a number from
 * `low` (excluded when `lowExcluded`) to `high`, and to the value of the field `atMost` when that
 * keeps its own rule, written as a plain integer when `whole`.
 */
export interface StoredFieldRule {
  low: number;
  lowExcluded: boolean;
  high: number;
  /** Another field whose stored value bounds this one from above (the budget's `total`). */
  atMost?: 'total' | undefined;
  whole: boolean;
  /** The rule in words, for messages: `an integer from 1 to 10000`. */
  text: string;
  /** What to write there by hand, for messages: `<max_concurrency of GET /gateway/bot>`. */
  fix: string;
  /**
   * What INIT writes over a value breaking the rule, for messages, when not the process's own
   * value of the field.
   */
  replacedWith?: string | undefined;
}

/** An integer field from 0 to 2^53 - 1 (a count of session starts, a time in epoch ms, a counter). */
function count(text: string, fix: string): StoredFieldRule {
  return { low: 0, lowExcluded: false, high: Number.MAX_SAFE_INTEGER, whole: true, text, fix };
}

/** A length of time, as `validateIdentifyLimits` takes one: above 0, at most a timer's longest delay. */
function duration(fix: string): StoredFieldRule {
  const text = `a number of milliseconds above 0, at most ${MAX_TIMER_DELAY}`;
  return { low: 0, lowExcluded: true, high: MAX_TIMER_DELAY, whole: false, text, fix };
}

/**
 * The fields of the identify state hash the scripts compute with, each with the values they take.
 * A value outside them is refused, not used: a negative window left every bucket open (shards of
 * one bucket identified together), a negative period renewed the budget on every turn, and a
 * value that is no number failed the script with a Lua error naming nothing.
 */
export const STORED_FIELDS = {
  maxConcurrency: {
    low: 1,
    lowExcluded: false,
    high: MAX_IDENTIFY_CONCURRENCY,
    whole: true,
    text: `an integer from 1 to ${MAX_IDENTIFY_CONCURRENCY}`,
    fix: '<max_concurrency of GET /gateway/bot>',
  },
  windowMs: duration('<the identify window in ms: 5000 on the platform>'),
  periodMs: duration('<the budget period in ms: 86400000, a day>'),
  total: count(
    `an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
    '<session_start_limit.total of GET /gateway/bot>',
  ),
  // Above the total, the day would hand out more session starts than it has until the reset.
  remaining: {
    ...count(
      'an integer from 0 to the stored total',
      '<session_start_limit.remaining of GET /gateway/bot, at most the total>',
    ),
    atMost: 'total',
    replacedWith: "the lower of this process's count of session starts left and the total",
  },
  resetAt: count(
    `a time in epoch milliseconds (an integer from 0 to ${Number.MAX_SAFE_INTEGER})`,
    '<epoch ms now plus session_start_limit.reset_after>',
  ),
  tickets: {
    ...count(`an integer from 0 to ${Number.MAX_SAFE_INTEGER}`, '<the highest score in its :queue: lines>'),
    replacedWith: 'the highest place taken in a line',
  },
} as const satisfies Record<string, StoredFieldRule>;

/** A field of the identify state hash that the scripts check before using it. */
export type StoredIdentifyField = keyof typeof STORED_FIELDS;

/** Whether `name` is one of the {@link STORED_FIELDS}. */
export function isStoredIdentifyField(name: string): name is StoredIdentifyField {
  return Object.hasOwn(STORED_FIELDS, name);
}

/**
 * A number as the checks take it, in both languages: decimal digits, a fraction and an exponent
 * optional (`5000`, `0.5`, `.5`, `1e-7`, as JavaScript writes a number), no sign, space, other
 * base or digit separator. The number parsers differ beyond it: `Number` reads `0b101` and a value
 * padded with a non-breaking space, Lua's `tonumber` reads `0x1p4`; a value one side took and
 * the other refused would pass `remaining()` and fail a turn, or the other way round.
 */
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `storedField(state, field)` gives back the field's value as a number when it is a plain decimal
 * (see `DECIMAL`) keeping the field's rule in {@link STORED_FIELDS}, otherwise nil and the value
 * found (false when missing). A whole number must be written as one (`7`, not `7.0`, ` 7` or
 * `-0`): HINCRBY takes nothing else.
 * `badField(state, fields)` names the first of `fields` whose value breaks its rule, and the value.
 * {@link storedFieldValue} is the same check for values read into TypeScript.
 */
export const STORED_FIELD_CHECKS = `
local RULES = {
${Object.entries(STORED_FIELDS)
  .map(
    ([field, r]: [string, StoredFieldRule]) =>
      `  ${field} = {${r.low}, ${r.lowExcluded}, ${r.high}, ${r.whole}, ${r.atMost === undefined ? 'nil' : `'${r.atMost}'`}},`,
  )
  .join('\n')}
}
-- As DECIMAL in TypeScript; Lua patterns have no optional groups, so the exponent goes first.
local function decimal(s)
  if type(s) ~= 'string' then return false end
  local mantissa = string.match(s, '^(.-)[eE][%+%-]?%d+$') or s
  return string.find(mantissa, '^%d+%.?%d*$') ~= nil or string.find(mantissa, '^%.%d+$') ~= nil
end
local function storedField(state, field)
  local stored = redis.call('HGET', state, field)
  local n, r = decimal(stored) and tonumber(stored), RULES[field]
  local high = r[3]
  -- A bound that breaks its own rule is refused on its own; until then its range stands in.
  if r[5] then high = math.min(high, storedField(state, r[5]) or high) end
  -- n + 0 is 0 for -0, so '-0' is refused.
  if n and (n > r[1] or (n == r[1] and not r[2])) and n <= high
    and (not r[4] or string.format('%.0f', n + 0) == stored) then return n end
  return nil, stored
end
local function badField(state, fields)
  for _, field in ipairs(fields) do
    local n, stored = storedField(state, field)
    if not n then return field, stored or '' end
  end
end
`;

/**
 * The number a field of the identify state holds when it is a plain decimal keeping the field's
 * rule in {@link STORED_FIELDS}, as the scripts' `storedField` reads it; `undefined` otherwise.
 *
 * @param field - the field
 * @param read - the stored value of a field (`null` or `undefined` when missing); the rule's
 *   `atMost` field is read through it too
 */
export function storedFieldValue(
  field: StoredIdentifyField,
  read: (field: StoredIdentifyField) => string | null | undefined,
): number | undefined {
  const rule: StoredFieldRule = STORED_FIELDS[field];
  const stored = read(field);
  if (stored === null || stored === undefined || !DECIMAL.test(stored)) return undefined;
  const n = Number(stored);
  const bound = rule.atMost === undefined ? undefined : storedFieldValue(rule.atMost, read);
  const high = Math.min(rule.high, bound ?? rule.high);
  const inRange = (n > rule.low || (n === rule.low && !rule.lowExcluded)) && n <= high;
  // As the scripts' '%.0f': an integer written plainly; String(-0) is '0', so '-0' is refused.
  const plain = Number.isInteger(n) && String(n) === stored;
  return inRange && (!rule.whole || plain) ? n : undefined;
}

/**
 * The first of `fields` whose stored value breaks its rule, and that value (`''` when missing),
 * as the scripts' `badField` names it; `undefined` when all keep their rules.
 *
 * @param fields - the fields to check, in order
 * @param read - the stored value of a field, as for {@link storedFieldValue}
 */
export function badStoredField(
  fields: readonly StoredIdentifyField[],
  read: (field: StoredIdentifyField) => string | null | undefined,
): { field: StoredIdentifyField; stored: string } | undefined {
  for (const field of fields) {
    if (storedFieldValue(field, read) === undefined) return { field, stored: read(field) ?? '' };
  }
  return undefined;
}
