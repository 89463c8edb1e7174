import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import { GatewayError } from '../errors/GatewayError.js';

/** An error as it crosses between threads: plain data, since a clone keeps no class. */
export interface WireError {
  name: string;
  message: string;
  stack: string | undefined;
  /** The close code, for a fatal error. */
  code?: number;
  /** The close code's meaning, for a fatal error. */
  meaning?: string;
  /** Its `cause`, when that is an error too (three levels at most). */
  cause?: WireError;
}

/** How many causes deep an error crosses. */
const CAUSE_DEPTH = 3;

/** An error of either thread as plain data, with its causes. */
export function toWireError(error: unknown, depth = CAUSE_DEPTH): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: undefined };
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined && depth > 1) wire.cause = toWireError(error.cause, depth - 1);
  if (error instanceof FatalGatewayError) {
    wire.code = error.code;
    wire.meaning = error.meaning;
  }
  return wire;
}

/** The error a worker thread reported, as a plain `Error` keeping its name, message and stack. */
export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message, wire.cause === undefined ? {} : { cause: fromWireError(wire.cause) });
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

/**
 * A worker shard's error on the main thread: a `FatalGatewayError` (code and meaning kept) for
 * what ended the shard, a `GatewayError` otherwise, each with the same message and the original
 * (name, stack and causes) as `cause`.
 *
 * @param wire - the error as the worker thread sent it
 * @param shardId - the shard it happened on
 */
export function shardErrorFromWire(wire: WireError, shardId: number): GatewayError {
  const cause = fromWireError(wire);
  const prefix = `shard ${shardId}: `;
  const message = wire.message.startsWith(prefix) ? wire.message.slice(prefix.length) : wire.message;
  if (wire.code !== undefined && wire.meaning !== undefined) {
    return new FatalGatewayError(wire.code, shardId, wire.meaning, { message, cause });
  }
  return new GatewayError(message, shardId, { cause });
}
