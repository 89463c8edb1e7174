/** `op_user_id` → `opUserId`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** A wire object with every key camel-cased, recursively. */
export type Camelize<T> = T extends readonly (infer Item)[]
  ? Camelize<Item>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelCase<K> : K]: Camelize<T[K]> }
    : T;

/** Wire keys seen so far and their camel-cased form: a bot meets a few hundred distinct keys. */
const camelKeys = new Map<string, string>();
/** Stops the cache from growing without bound on payloads with ever-new keys (maps keyed by id). */
const MAX_CACHED_KEYS = 4096;

function camelKey(key: string): string {
  let camel = camelKeys.get(key);
  if (camel === undefined) {
    camel = key.includes('_')
      ? key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
      : key;
    if (camelKeys.size < MAX_CACHED_KEYS) camelKeys.set(key, camel);
  }
  return camel;
}

/**
 * Copies a wire object with every key camel-cased, recursively (`op_user_id` → `opUserId`).
 *
 * @param value - a parsed JSON value
 */
export function camelize<T>(value: T): Camelize<T> {
  if (typeof value !== 'object' || value === null) return value as Camelize<T>;
  if (Array.isArray(value)) return value.map((item: unknown) => camelize(item)) as Camelize<T>;
  return camelizeInto({}, value) as Camelize<T>;
}

/**
 * Writes the camel-cased copy of every own field of `source` onto `target`, recursively: a model
 * built this way holds the copy itself, instead of copying a copy.
 *
 * @param target - the object to fill
 * @param source - a parsed JSON object
 * @returns `target`
 */
export function camelizeInto<Target extends object>(target: Target, source: object): Target {
  const fields = target as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    // `__proto__` comes out as `_Proto__`: no wire key can set the copy's prototype.
    fields[camelKey(key)] = camelize((source as Record<string, unknown>)[key]);
  }
  return target;
}
