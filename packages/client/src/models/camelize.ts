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

/**
 * Copies a wire object with every key camel-cased, recursively (`op_user_id` → `opUserId`).
 *
 * @param value - a parsed JSON value
 */
export function camelize<T>(value: T): Camelize<T> {
  if (Array.isArray(value)) return value.map((item: unknown) => camelize(item)) as Camelize<T>;
  if (typeof value !== 'object' || value === null) return value as Camelize<T>;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())] = camelize(item);
  }
  return result as Camelize<T>;
}
