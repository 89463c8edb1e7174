import { ValidationError } from '@bot/core';

declare const valueType: unique symbol;

/**
 * A typed key of the client's data map. Create one per kind of shared state with
 * {@link defineKey}; `data.get(key)` is then typed as the key's value.
 */
export interface DataKey<T> {
  /** Name shown in errors. */
  readonly name: string;
  /** Type-level carrier of `T`; never present at run time. */
  readonly [valueType]?: T;
}

/**
 * Declares a key for the data map.
 *
 * ```ts
 * const Counter = defineKey<{ messages: number }>('counter');
 * ctx.data.get(Counter).messages += 1;
 * ```
 *
 * @param name - describes the value; two keys with one name are still different keys
 */
export function defineKey<T>(name: string): DataKey<T> {
  return Object.freeze({ name });
}

/** `data.get(key)` found no value for `key`; `field` is `data.<key name>`. */
export class MissingDataError extends ValidationError {
  /** @param key - the key that had no value */
  public constructor(public readonly key: DataKey<unknown>) {
    super(`data.${key.name}`, 'has no value; set it with builder.data(key, value) or data.set(key, value)');
  }
}

/**
 * Shared state for every handler, keyed by {@link DataKey}s (the equivalent of Serenity's
 * `TypeMap`). Values are held by reference: mutate them in place, or replace them with `set`.
 */
export class TypeMap {
  readonly #values = new Map<DataKey<unknown>, unknown>();

  /**
   * Returns the value of `key`.
   *
   * @throws {@link MissingDataError} naming the key when it has no value
   */
  public get<T>(key: DataKey<T>): T {
    if (!this.#values.has(key)) throw new MissingDataError(key);
    return this.#values.get(key) as T;
  }

  /** Returns the value of `key`, or `undefined` when it has none. */
  public tryGet<T>(key: DataKey<T>): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  /** Stores `value` under `key`, replacing any previous value. */
  public set<T>(key: DataKey<T>, value: T): this {
    this.#values.set(key, value);
    return this;
  }

  /** Whether `key` has a value. */
  public has(key: DataKey<unknown>): boolean {
    return this.#values.has(key);
  }

  /** Removes the value of `key`; returns whether there was one. */
  public delete(key: DataKey<unknown>): boolean {
    return this.#values.delete(key);
  }

  /** Number of keys with a value. */
  public get size(): number {
    return this.#values.size;
  }
}
