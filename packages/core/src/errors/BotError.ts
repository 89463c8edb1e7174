import type { ValidationError } from './ValidationError.js';

/**
 * The kinds of failure the framework reports, each mapped to its error class. The set is open:
 * every package adds the kinds of its own errors where it declares them, by declaration merging,
 *
 * ```ts
 * declare module '@bot/core' {
 *   interface BotErrorKinds {
 *     gateway: GatewayError;
 *   }
 * }
 * ```
 *
 * so `switch (err.kind)` knows every kind of the packages a program imports.
 */
export interface BotErrorKinds {
  validation: ValidationError;
}

/**
 * Every kind of failure the framework reports. Switch on the `kind` of an {@link AnyBotError}
 * (what {@link isBotError} narrows to) to handle them:
 *
 * ```ts
 * if (!isBotError(err)) throw err;
 * switch (err.kind) {
 *   case 'api': console.log(err.code, err.traceId); break;
 *   case 'rateLimited': console.log(`retry in ${err.retryAfter} ms`); break;
 * }
 * ```
 */
export type BotErrorKind = keyof BotErrorKinds;

/** Base class of every error the framework throws or reports. */
export abstract class BotError extends Error {
  /** Discriminant: narrow with `switch (err.kind)`. */
  public abstract readonly kind: BotErrorKind;

  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Any error the framework reports: the union of the classes in {@link BotErrorKinds}, so a
 * `switch (err.kind)` narrows `err` to the class of each kind. (The abstract {@link BotError}
 * knows only `kind`, not the fields of each class.) It holds the kinds of the packages a program
 * imports, which are the only ones that can reach it.
 */
export type AnyBotError = BotErrorKinds[BotErrorKind];

/**
 * Narrows an unknown value to an error the framework reports, as an {@link AnyBotError} whose
 * `kind` selects its class.
 *
 * One case the type cannot tell: an error that crossed from a worker thread (shards run with
 * `workerThreads`) arrives as the gateway's `RemoteBotError` when its class cannot be rebuilt on
 * this side. Its `kind`, message and plain-data fields are the original's: text, numbers,
 * booleans, `null`, a `Date` (a `Date` again), and arrays and objects of no class holding those,
 * as copies within bounds. Fields holding an instance of another class (an `ApiError` kept in a
 * field, a `Map`) or a function are absent, as are methods: read those only after an
 * `instanceof` check of the class.
 *
 * @example
 * ```ts
 * try {
 *   await api.groups.send(groupOpenid, OpenMessageParams.text('hi'));
 * } catch (err) {
 *   if (!isBotError(err)) throw err;
 *   if (err.kind === 'rateLimited') console.log(`retry in ${err.retryAfter} ms`);
 * }
 * ```
 */
export function isBotError(value: unknown): value is AnyBotError {
  return value instanceof BotError;
}
