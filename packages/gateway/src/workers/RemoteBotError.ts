import { BotError, type BotErrorKind } from '@bot/core';

/**
 * A framework error that crossed between a worker thread and the main thread and whose class
 * cannot be rebuilt on this side (an `AuthenticationError` of `@bot/http`, which the gateway does
 * not load, say). It keeps what handling relies on: the `kind` to switch on, the `name` and
 * message, the stack of the thread it was thrown on, and the original's plain-data own fields as
 * own properties: text, numbers, booleans, `null`, `Date`s (a `Date` again here), and arrays and
 * objects of no class holding those (`code`, `traceId`, `retryAt`, a response body, …), made anew
 * on this side.
 *
 * What stays behind: methods and the class of the original, fields holding a function or an
 * instance of a class other than `Date` (a `Map`, a `URL`, a `Buffer`; also inside an object),
 * `bigint`s, fields named `constructor`, `toString` or `valueOf`, a reference back to an object
 * holding it (a cycle crosses once), and what is past the bounds: 16 fields, objects and arrays
 * nested 4 levels deep with 64 entries each (of an object, the first 64 read), 256 values and
 * 64,000 characters of text in all (an object referred to twice counts twice), each text cut to
 * 4,000 characters. Check `instanceof` before relying on the rest of the original class's shape.
 */
export class RemoteBotError extends BotError {
  /** The original error's discriminant. */
  public readonly kind: BotErrorKind;

  /**
   * @param kind - the original's `kind`
   * @param message - the original's message
   * @param fields - the original's plain-data own fields, copied onto this error
   * @param options - `cause`, rebuilt the same way
   */
  public constructor(
    kind: BotErrorKind,
    message: string,
    fields: Readonly<Record<string, WireField>>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.kind = kind;
    Object.assign(this, fields);
  }
}

/**
 * A plain-data field value of an error that crosses threads (see {@link RemoteBotError} for the
 * bounds).
 */
export type WireField =
  string | number | boolean | null | Date | readonly WireField[] | { readonly [key: string]: WireField };
