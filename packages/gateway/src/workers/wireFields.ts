import type { WireField } from './RemoteBotError.js';

/**
 * Longest text (message, stack, string field or string inside one) of each error that crosses, so
 * one failing with a huge message cannot flood the port: a report carries its error up to three
 * levels deep, and each level's message and stack would repeat the huge text.
 */
export const MAX_WIRE_TEXT = 4_000;
const MAX_TEXT = MAX_WIRE_TEXT;
/** Own fields an error carries across at most (the rest stay behind). */
export const MAX_FIELDS = 16;
/** Objects and arrays nested in one field at most, the field's own value counted as the first. */
export const MAX_FIELD_DEPTH = 4;
/** Items of one array, or entries of one object, in a field at most. */
export const MAX_FIELD_ITEMS = 64;
/**
 * Values (nested ones included, each object, array and Date too) in all fields of one error at
 * most: what does not fit stays behind.
 */
export const MAX_FIELD_VALUES = 256;
/**
 * Characters of text in all fields of one error at most: as many as {@link MAX_FIELDS} string
 * fields of the longest text, so nesting does not make an error crossing larger than before.
 */
export const MAX_FIELD_TEXT = MAX_FIELDS * MAX_TEXT;

/**
 * Own properties that are not fields: the error's own parts, carried separately, and the names of
 * methods every object has (a field named `toString` would make the rebuilt error fail to print).
 */
export const NOT_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'message',
  'stack',
  'cause',
  'kind',
  'constructor',
  'toString',
  'valueOf',
]);
/** Keys that would reach past an object's own properties when assigned to it. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** An object or array as copied once for an error, with what its copy spent of the allowance. */
interface Copied {
  value: WireField | undefined;
  values: number;
  text: number;
}

/**
 * What is left of an error's field allowance while its fields are read or checked, with the
 * objects copied so far: each is read once per level it appears at (a copy nests to its own
 * depth), however often the error refers to it.
 */
interface Allowance {
  values: number;
  text: number;
  /** Copies by source object, then by depth. */
  copies: Map<object, Map<number, Copied>>;
  /** The objects being copied now, around the value read: a reference to one is a cycle. */
  within: Set<object>;
}

const allowance = (): Allowance => ({
  values: MAX_FIELD_VALUES,
  text: MAX_FIELD_TEXT,
  copies: new Map(),
  within: new Set(),
});

/** `text` cut to {@link MAX_TEXT}, ending with `…` where it was cut. */
const bounded = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** Whether `value` is an object of no class: its prototype is `Object.prototype`, or it has none. */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Calls `each` with the first `max` own enumerable keys of `object`, or fewer once `each` returns
 * `false`. Keys are read one at a time, not all of them first: an object of a million entries
 * costs no more values read than one of `max`.
 */
function eachOwnKey(object: object, max: number, each: (key: string) => boolean): void {
  let read = 0;
  for (const key in object) {
    if (read >= max) return;
    if (!Object.hasOwn(object, key)) continue;
    read += 1;
    if (!each(key)) return;
  }
}

/**
 * `value` as plain data that crosses: text cut to {@link MAX_TEXT}, a `Date` copied, arrays and
 * objects of no class copied to {@link MAX_FIELD_DEPTH} levels, each at most
 * {@link MAX_FIELD_ITEMS} long; `undefined` for anything else (a function, a class instance, a
 * `Map`, a getter that throws, a reference back to an object that holds it) or once `left` is
 * spent. An object keeps the entries that cross; an array with an item that does not cross stays
 * behind whole, so no item moves to another index. An object met again at the same depth is not
 * read again: its copy crosses again, counted against `left` again, as the other thread checks it.
 */
function plainOf(value: unknown, depth: number, left: Allowance): WireField | undefined {
  if (left.values <= 0) return undefined;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    left.values -= 1;
    return value;
  }
  if (typeof value === 'string') {
    const text = bounded(value);
    if (text.length > left.text) return undefined;
    left.values -= 1;
    left.text -= text.length;
    return text;
  }
  if (typeof value !== 'object' || depth > MAX_FIELD_DEPTH || left.within.has(value)) return undefined;
  const copied = left.copies.get(value)?.get(depth);
  if (copied !== undefined) {
    if (copied.value === undefined || copied.values > left.values || copied.text > left.text)
      return undefined;
    left.values -= copied.values;
    left.text -= copied.text;
    return copied.value;
  }
  const [values, text] = [left.values, left.text];
  left.within.add(value);
  const copy = copyOf(value, depth, left);
  left.within.delete(value);
  const byDepth = left.copies.get(value) ?? new Map<number, Copied>();
  byDepth.set(depth, { value: copy, values: values - left.values, text: text - left.text });
  left.copies.set(value, byDepth);
  return copy;
}

/** `value`, an object met for the first time at `depth`, as {@link plainOf} gives it. */
function copyOf(value: object, depth: number, left: Allowance): WireField | undefined {
  try {
    if (value instanceof Date) {
      left.values -= 1;
      return new Date(value.getTime());
    }
    left.values -= 1;
    if (Array.isArray(value)) {
      const array: readonly unknown[] = value;
      if (array.length > MAX_FIELD_ITEMS) return undefined;
      const items: WireField[] = [];
      for (let index = 0; index < array.length; index += 1) {
        const item = plainOf(array[index], depth + 1, left);
        if (item === undefined) return undefined;
        items.push(item);
      }
      return items;
    }
    if (!isPlainObject(value)) return undefined;
    const copy: Record<string, WireField> = {};
    eachOwnKey(value, MAX_FIELD_ITEMS, (key) => {
      if (UNSAFE_KEYS.has(key)) return true;
      const item = plainOf((value as Record<string, unknown>)[key], depth + 1, left);
      if (item !== undefined) copy[key] = item;
      return true;
    });
    return copy;
  } catch {
    // A getter or a proxy that throws: the value stays behind.
    return undefined;
  }
}

/**
 * The plain own fields of `error` that cross to the other thread (`code`, `traceId`, a `Date`, an
 * object of no class such as a response body, …), each text bounded; `undefined` when it has none.
 * Never throws: a field that cannot be read (a getter that throws) stays behind, and so do all of
 * them when the error's keys cannot be listed (a proxy that throws). At most
 * {@link MAX_FIELD_ITEMS} of its keys are read.
 */
export function fieldsOf(error: Error): Record<string, WireField> | undefined {
  const fields: Record<string, WireField> = {};
  const left = allowance();
  let count = 0;
  try {
    eachOwnKey(error, MAX_FIELD_ITEMS, (key) => {
      if (NOT_FIELDS.has(key) || UNSAFE_KEYS.has(key)) return true;
      let value: unknown;
      try {
        value = (error as unknown as Record<string, unknown>)[key];
      } catch {
        return true;
      }
      const field = plainOf(value, 1, left);
      if (field === undefined) return true;
      fields[key] = field;
      count += 1;
      return count < MAX_FIELDS;
    });
  } catch {
    // Keys that cannot be listed: the fields read so far cross.
  }
  return count === 0 ? undefined : fields;
}

/** What is left of the allowance while fields posted by the other thread are checked. */
type Checked = Pick<Allowance, 'values' | 'text'>;

/** What keeps `value` from being one field as {@link fieldsOf} gives it, or `undefined`. */
function fieldProblem(value: unknown, depth: number, left: Checked): string | undefined {
  left.values -= 1;
  if (left.values < 0) return `its fields hold more than ${MAX_FIELD_VALUES} values`;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    left.text -= value.length;
    if (value.length > MAX_TEXT) return 'it holds a text longer than the bound';
    return left.text < 0 ? `its fields hold more than ${MAX_FIELD_TEXT} characters of text` : undefined;
  }
  if (typeof value !== 'object') return 'it holds a value that is not plain data';
  if (depth > MAX_FIELD_DEPTH) return `it nests deeper than ${MAX_FIELD_DEPTH} levels`;
  if (value instanceof Date) return undefined;
  if (Array.isArray(value)) {
    if (value.length > MAX_FIELD_ITEMS) return `it holds an array of more than ${MAX_FIELD_ITEMS} items`;
    for (let index = 0; index < value.length; index += 1) {
      const problem = fieldProblem(value[index], depth + 1, left);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return 'it holds an object of a class';
  const entries = Object.entries(value);
  if (entries.length > MAX_FIELD_ITEMS) return `it holds an object of more than ${MAX_FIELD_ITEMS} entries`;
  for (const [key, each] of entries) {
    if (UNSAFE_KEYS.has(key)) return `it holds an entry named ${JSON.stringify(key)}`;
    const problem = fieldProblem(each, depth + 1, left);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * What keeps `value`, as the other thread posted it, from being fields as {@link fieldsOf} gives
 * them, or `undefined`: at most {@link MAX_FIELDS} of them, named neither as an error's own parts
 * nor `__proto__` (at any level), holding only bounded text, numbers, booleans, `null`, `Date`s,
 * and arrays and objects of no class within {@link MAX_FIELD_DEPTH}, {@link MAX_FIELD_ITEMS},
 * {@link MAX_FIELD_VALUES} and {@link MAX_FIELD_TEXT}.
 */
export function fieldsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'its fields are not an object';
  const entries = Object.entries(value);
  if (entries.length > MAX_FIELDS) return `it has more than ${MAX_FIELDS} fields`;
  const left: Checked = { values: MAX_FIELD_VALUES, text: MAX_FIELD_TEXT };
  for (const [key, field] of entries) {
    if (NOT_FIELDS.has(key) || UNSAFE_KEYS.has(key)) return `it has a field named ${JSON.stringify(key)}`;
    const problem = fieldProblem(field, 1, left);
    if (problem !== undefined) return `its field ${JSON.stringify(key.slice(0, 40))}: ${problem}`;
  }
  return undefined;
}

/**
 * A fresh copy of checked fields (see {@link fieldsProblem}): objects made here, with this thread's
 * `Object.prototype`, and `Date`s made anew, so nothing of the other side's objects is kept.
 */
export function copiedFields(fields: Readonly<Record<string, WireField>>): Record<string, WireField> {
  const copy: Record<string, WireField> = {};
  for (const [key, value] of Object.entries(fields)) {
    // Refused by the check already; never assigned, which would set the copy's prototype.
    if (!UNSAFE_KEYS.has(key)) copy[key] = copied(value);
  }
  return copy;
}

function copied(value: WireField): WireField {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return (value as readonly WireField[]).map(copied);
  return copiedFields(value as Readonly<Record<string, WireField>>);
}
