import { fitsPresent, type PresentCheck } from './wireShape.js';

/** `op_user_id` → `opUserId`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/**
 * A wire object with every key camel-cased, recursively. Scalars are tested first: an open enum
 * (`ChannelType | (number & {})`) holds `number & {}`, which also fits `object` and would
 * otherwise become an object of Number's methods.
 */
export type Camelize<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends readonly (infer Item)[]
    ? Camelize<Item>[]
    : T extends object
      ? { [K in keyof T as K extends string ? CamelCase<K> : K]: Camelize<T[K]> }
      : T;

/**
 * Whether a key `for…in` gave is the object's own. The copies below walk a payload with `for…in`
 * and skip inherited keys: exactly Object.keys's keys in its order, without the array Object.keys
 * allocates per object, and the engine answers this check from the loop's key cache. Building
 * models from the emulator's payloads, paired (10 rounds): MESSAGE_REACTION_ADD 426 → 367 ns
 * (−53 [−70 – −50]), MESSAGE_REACTION_REMOVE −66 [−101 – −49], GUILD_UPDATE 357 → 303 ns
 * (−47 [−55 – −43]). A module's own constant: the engine recognises the call only then.
 */
const OWN_KEY = Object.prototype.hasOwnProperty;

/** What {@link camelizeInto} does with a field: leave it off (`skip`), or check it when present. */
export type FieldRule = 'skip' | PresentCheck;

/**
 * A model's {@link FieldRule}s by camel-cased name (so a camel-cased twin of a wire key is checked
 * as the key would be): its prototype's names, left off, and its optional fields, checked. One
 * lookup per key answers both, so checking costs no lookup the copy did not already make.
 */
export type FieldRules = ReadonlyMap<string, FieldRule>;

/**
 * Told of an optional field {@link camelizeInto} left off for being of another type than its rule
 * allows: one function per model, made once, so a copy allocates no closure per event.
 */
export type LeftOff = (key: string, check: PresentCheck, value: unknown) => void;

/** Wire keys seen so far and their camel-cased form: a bot meets a few hundred distinct keys. */
const camelKeys = new Map<string, string>();
/** Stops the cache from growing without bound on payloads with ever-new keys (maps keyed by id). */
const MAX_CACHED_KEYS = 4096;

/**
 * The camel-cased form of one wire key (`op_user_id` → `opUserId`).
 *
 * @param key - a wire key
 */
export function camelKey(key: string): string {
  // Most keys have no underscore (`id`, `nick`, `roles`): they are their own camel case, and
  // looking for one character costs less than a map lookup.
  if (key.indexOf('_') === -1) return key;
  let camel = camelKeys.get(key);
  if (camel === undefined) {
    camel = key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    if (camelKeys.size < MAX_CACHED_KEYS) camelKeys.set(key, camel);
  }
  return camel;
}

/**
 * Whether the wire key `key`, camel-cased to `name`, gives way to a field of that name already
 * copied: it does unless it is snake_case (renamed, and no capital letter), the form the platform
 * sends and the shape checks look at. So `channel_id` wins over a `channelId` (or `channel_Id`)
 * twin whichever comes first, and cannot be replaced by a value no check has seen. Asked only
 * when the name is taken, which no payload of the platform's does.
 *
 * @param key - the wire key
 * @param name - its camel-cased form
 */
export function yieldsToTwin(key: string, name: string): boolean {
  if (name === key) return true;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if (code >= 65 && code <= 90) return true;
  }
  return false;
}

/**
 * Copies a wire object with every key camel-cased, recursively (`op_user_id` → `opUserId`). When
 * two keys give one name (`channel_id` and `channelId`), the snake_case one's value is kept.
 *
 * @param value - a parsed JSON value
 */
export function camelize<T>(value: T): Camelize<T> {
  if (typeof value !== 'object' || value === null) return value as Camelize<T>;
  if (Array.isArray(value)) return camelizeArray(value) as Camelize<T>;
  return camelizeInto({}, value) as Camelize<T>;
}

/** A copy of `items` with each item camelized; a plain loop, as models copy arrays on every event. */
function camelizeArray(items: readonly unknown[]): unknown[] {
  const length = items.length;
  const copy = new Array<unknown>(length);
  for (let index = 0; index < length; index++) {
    const item = items[index];
    copy[index] = typeof item === 'object' && item !== null ? camelize(item) : item;
  }
  return copy;
}

/**
 * Writes the camel-cased copy of every own field of `source` onto `target`, recursively: a model
 * built this way holds the copy itself, instead of copying a copy.
 *
 * @param target - the object to fill
 * @param source - a parsed JSON object
 * @param skipped - camel-cased names not to write (a model's {@link prototypeNames}); nested
 *   objects are copied whole
 * @param rules - in place of `skipped`, a model's names to leave off and optional fields to check
 *   by type when present (see {@link FieldRules}): `null` in one of those reads as absent and is
 *   left off the copy, as the model's type says, and so is a value of another type
 * @param leftOff - told of each checked field left off for being of another type
 * @returns `target`, where two keys giving one name leave the snake_case one's value (see
 *   {@link yieldsToTwin}), at the place of the first
 */
export function camelizeInto<Target extends object>(
  target: Target,
  source: object,
  skipped?: ReadonlySet<string>,
  rules?: FieldRules,
  leftOff?: LeftOff,
): Target {
  const fields = target as Record<string, unknown>;
  const values = source as Record<string, unknown>;
  // Own enumerable keys only, in Object.keys order, without allocating Object.keys's array.
  for (const key in source) {
    if (!OWN_KEY.call(source, key)) continue;
    // `__proto__` comes out as `_Proto__`: no wire key can set the copy's prototype.
    const name = camelKey(key);
    if (skipped !== undefined && skipped.has(name)) continue;
    let check: PresentCheck | undefined;
    if (rules !== undefined) {
      const rule = rules.get(name);
      if (rule === 'skip') continue;
      check = rule;
    }
    // A twin of a key already copied (`channelId` after `channel_id`) must not replace it.
    if (OWN_KEY.call(target, name) && yieldsToTwin(key, name)) continue;
    const value = values[key];
    if (check !== undefined) {
      // Checked where the value is read anyway: a typeof, no second walk of the payload. A value
      // of another type is left off rather than refusing the event: the field is optional, and
      // the rest of the event (a guild the bot was removed from) is what its handler needs.
      if (value === null || value === undefined) continue;
      if (!fitsPresent(value, check)) {
        leftOff?.(key, check, value);
        continue;
      }
    }
    fields[name] = typeof value === 'object' && value !== null ? camelize(value) : value;
  }
  return target;
}

/** {@link prototypeNames} by prototype: worked out once per model class. */
const namesByPrototype = new WeakMap<object, ReadonlySet<string>>();

/**
 * Every name `prototype` and its chain define: a model's accessors and methods (`eventId`,
 * `reply`), and `Object`'s (`toString`). A wire field of one of these names is left off the
 * model's copy: written there, it would throw on a getter-only accessor or replace a method. The
 * field still reaches raw handlers with the payload.
 *
 * @param prototype - the model's prototype (`new.target.prototype`)
 */
export function prototypeNames(prototype: object): ReadonlySet<string> {
  let names = namesByPrototype.get(prototype);
  if (names === undefined) {
    const found = new Set<string>();
    let link: object | null = prototype;
    while (link !== null) {
      for (const name of Object.getOwnPropertyNames(link)) found.add(name);
      link = Object.getPrototypeOf(link) as object | null;
    }
    names = found;
    namesByPrototype.set(prototype, names);
  }
  return names;
}
