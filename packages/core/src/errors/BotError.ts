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
 * Every kind of failure the framework reports. Switch on {@link BotError.kind} to handle them:
 *
 * ```ts
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

/** Narrows an unknown value to a {@link BotError}. */
export function isBotError(value: unknown): value is BotError {
  return value instanceof BotError;
}
