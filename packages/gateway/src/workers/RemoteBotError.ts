import { BotError, type BotErrorKind } from '@bot/core';

/**
 * A framework error that crossed between a worker thread and the main thread and whose class
 * cannot be rebuilt on this side (an `AuthenticationError` of `@bot/http`, which the gateway does
 * not load, say). It keeps what handling relies on: the `kind` to switch on, the `name` and
 * message, the stack of the thread it was thrown on, and the original's plain fields (`code`,
 * `traceId`, …) as own properties.
 */
export class RemoteBotError extends BotError {
  /** The original error's discriminant. */
  public readonly kind: BotErrorKind;

  /**
   * @param kind - the original's `kind`
   * @param message - the original's message
   * @param fields - the original's plain own fields, copied onto this error
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

/** A plain field value of an error that crosses threads. */
export type WireField = string | number | boolean | null | readonly number[];
