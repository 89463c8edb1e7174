import { BotError, messageOf, type BotErrorKind } from '@bot/core';
import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { FrameTooLargeError } from '../errors/FrameTooLargeError.js';
import { GatewayError } from '../errors/GatewayError.js';
import { SendQueueFullError } from '../errors/SendQueueFullError.js';
import { RemoteBotError, type WireField } from './RemoteBotError.js';
import { ThreadClientError } from './ThreadClientError.js';
import { copiedFields, fieldsOf, fieldsProblem, MAX_FIELDS, MAX_WIRE_TEXT } from './wireFields.js';

/** An error as it crosses between threads: plain data, since a clone keeps no class. */
export interface WireError {
  name: string;
  message: string;
  stack: string | undefined;
  /** The `kind` of a framework error (`BotError`). */
  kind?: string;
  /**
   * Its plain own fields (`code`, `shardId`, `maxQueued`, a `Date`, an object of no class, …),
   * which its class is rebuilt from; bounded as `wireFields.ts` says.
   */
  fields?: Record<string, WireField>;
  /** Its `cause`, when that is an error too (three levels at most). */
  cause?: WireError;
}

/** How many causes deep an error crosses. */
const CAUSE_DEPTH = 3;

export { MAX_WIRE_TEXT };

/** `text` cut to {@link MAX_WIRE_TEXT}, ending with `…` where it was cut. */
function bounded(text: string): string {
  return text.length > MAX_WIRE_TEXT ? `${text.slice(0, MAX_WIRE_TEXT - 1)}…` : text;
}

/**
 * A part of an error (its name, message, stack or kind) as bounded text. Code may set any of them
 * to anything: text is cut, a number or boolean written out, and anything else gives `fallback`,
 * or is shown as `messageOf` shows a thrown value when there is none, since an error posted with a
 * part that is not text would be refused on the other side, stopping the whole thread.
 */
function partText(value: unknown, fallback?: string): string {
  if (typeof value === 'string') return bounded(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return fallback ?? bounded(messageOf(value));
}

/**
 * An error's stack as bounded text, `undefined` when it has none (`null`, or not text) or it
 * cannot be read: V8 formats a stack when first read, from the error's name and message, and
 * throws there when the name was set to an object without a string form.
 */
function stackText(error: Error): string | undefined {
  try {
    const stack: unknown = error.stack;
    return typeof stack === 'string' ? bounded(stack) : undefined;
  } catch {
    return undefined;
  }
}

const isBoundedText = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_WIRE_TEXT;

/**
 * What keeps `value`, as another thread posted it, from being an error {@link toWireError} could
 * have made (texts within {@link MAX_WIRE_TEXT}, at most {@link MAX_FIELDS} plain fields, causes
 * three levels deep at most), or `undefined` when it is one: only then may {@link fromWireError}
 * rebuild it.
 *
 * @param value - what the thread posted as an error
 * @param depth - how many levels it may still have, itself included
 */
export function wireErrorProblem(value: unknown, depth = CAUSE_DEPTH): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not an object';
  const { name, message, stack, kind, fields, cause } = value as Record<string, unknown>;
  if (!isBoundedText(name) || !isBoundedText(message))
    return `its name or message is not a text of at most ${MAX_WIRE_TEXT} characters`;
  if (stack !== undefined && !isBoundedText(stack)) return 'its stack is not a bounded text';
  if (kind !== undefined && !isBoundedText(kind)) return 'its kind is not a bounded text';
  const problem = fields === undefined ? undefined : fieldsProblem(fields);
  if (problem !== undefined) return problem;
  if (cause === undefined) return undefined;
  if (depth <= 1) return `its causes go deeper than ${CAUSE_DEPTH} levels`;
  const causeProblem = wireErrorProblem(cause, depth - 1);
  return causeProblem === undefined ? undefined : `its cause: ${causeProblem}`;
}

/** An error of either thread as plain data, with its kind, fields and causes, each text bounded. */
export function toWireError(error: unknown, depth = CAUSE_DEPTH): WireError {
  if (!(error instanceof Error))
    return { name: 'Error', message: bounded(messageOf(error)), stack: undefined };
  const stack = stackText(error);
  const wire: WireError = { name: partText(error.name, 'Error'), message: partText(error.message), stack };
  if (error instanceof BotError) wire.kind = partText(error.kind, 'unknown');
  const fields = fieldsOf(error);
  if (fields !== undefined) wire.fields = fields;
  if (error.cause !== undefined && depth > 1) wire.cause = toWireError(error.cause, depth - 1);
  return wire;
}

const numberField = (wire: WireError, key: string): number | undefined => {
  const value = wire.fields?.[key];
  return typeof value === 'number' ? value : undefined;
};
const stringField = (wire: WireError, key: string): string | undefined => {
  const value = wire.fields?.[key];
  return typeof value === 'string' ? value : undefined;
};

/** `message` without the `shard N: ` a `GatewayError` puts in front, which its constructor adds again. */
function unprefixed(message: string, shardId: number | undefined): string {
  const prefix = `shard ${shardId}: `;
  return shardId !== undefined && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The gateway error classes rebuilt as themselves; `undefined` for any other error. */
function gatewayErrorOf(wire: WireError, options: ErrorOptions): GatewayError | undefined {
  if (wire.kind !== 'gateway') return undefined;
  const shardId = numberField(wire, 'shardId');
  const message = unprefixed(wire.message, shardId);
  const code = numberField(wire, 'code');
  const meaning = stringField(wire, 'meaning');
  const maxQueued = numberField(wire, 'maxQueued');
  if (code !== undefined && meaning !== undefined && shardId !== undefined) {
    return new FatalGatewayError(code, shardId, meaning, { ...options, message });
  }
  if (wire.name === 'SendQueueFullError' && maxQueued !== undefined) {
    return new SendQueueFullError(maxQueued, shardId);
  }
  const maxPayload = numberField(wire, 'maxPayload');
  if (wire.name === 'FrameTooLargeError' && maxPayload !== undefined) {
    const error = new FrameTooLargeError(maxPayload, shardId, '');
    // What the shard did next is only in the message: kept as it was written.
    error.message = wire.message;
    if (options.cause !== undefined) error.cause = options.cause;
    return error;
  }
  return new GatewayError(message, shardId, options);
}

/** A thread client's report rebuilt as itself, when its fields came across; `undefined` otherwise. */
function threadClientErrorOf(wire: WireError, options: ErrorOptions): ThreadClientError | undefined {
  const thread = numberField(wire, 'thread');
  const name = stringField(wire, 'reportedName');
  const kind = stringField(wire, 'reportedKind');
  const message = stringField(wire, 'reportedMessage');
  if (wire.kind !== 'threadClient' || thread === undefined || name === undefined) return undefined;
  if (kind === undefined || message === undefined) return undefined;
  return new ThreadClientError(thread, { name, kind, message }, numberField(wire, 'shardId'), options);
}

/** Keeps the fields a subclass adds (`intents` of an `IntentsRefusedError`, …) on its rebuilt base class. */
function withFields<T extends Error>(error: T, wire: WireError): T {
  if (wire.fields !== undefined) Object.assign(error, copiedFields(wire.fields));
  return error;
}

/**
 * The error the other thread reported, rebuilt: the gateway's own classes as themselves
 * (`FatalGatewayError`, `SendQueueFullError`, `FrameTooLargeError`, `GatewayError`,
 * `ThreadClientError`), any other framework error as a
 * {@link RemoteBotError} keeping its `kind` and fields (so `kind === 'authentication'` still
 * stops a shard), anything else as a plain `Error`; each with its name, stack and causes.
 */
export function fromWireError(wire: WireError): Error {
  const options: ErrorOptions = wire.cause === undefined ? {} : { cause: fromWireError(wire.cause) };
  const gateway = gatewayErrorOf(wire, options);
  const error =
    (gateway && withFields(gateway, wire)) ??
    threadClientErrorOf(wire, options) ??
    (wire.kind === undefined
      ? new Error(wire.message, options)
      : new RemoteBotError(
          wire.kind as BotErrorKind,
          wire.message,
          copiedFields(wire.fields ?? {}),
          options,
        ));
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

/**
 * A worker shard's error on the main thread: a framework error rebuilt by {@link fromWireError}
 * (a `FatalGatewayError` keeping code and meaning for what ended the shard), anything else as a
 * `GatewayError` of the shard with the original (name, stack and causes) as `cause`.
 *
 * @param wire - the error as the worker thread sent it
 * @param shardId - the shard it happened on
 */
export function shardErrorFromWire(wire: WireError, shardId: number): BotError {
  const error = fromWireError(wire);
  if (error instanceof BotError) return error;
  return new GatewayError(unprefixed(wire.message, shardId), shardId, { cause: error });
}
