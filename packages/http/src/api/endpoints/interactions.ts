import { InteractionAckCode, isPlainObject, requireInteger, ValidationError } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

/** A JSON value that may appear in {@link InteractionAckData}. */
export type InteractionAckValue =
  string | number | boolean | null | readonly InteractionAckValue[] | InteractionAckData;

/**
 * The `data` object an acknowledgement may carry. The docs name no such field; the official SDK
 * passes one through unchanged, so its keys are whatever the feature answered expects
 * (docs/protocol.md §13.1).
 */
export interface InteractionAckData {
  readonly [key: string]: InteractionAckValue;
}

/** The whole body of an acknowledgement: the outcome, and optionally a `data` object. */
export interface InteractionAck {
  /** Outcome shown to the user, 0–5 (see {@link InteractionAckCode}). */
  code: InteractionAckCode;
  /** Passed to the platform as given; see {@link InteractionAckData}. */
  data?: InteractionAckData;
}

/** The acknowledgement, and the AppID of the bot answering it. */
export interface AcknowledgeInput extends InteractionAck {
  appId: string;
}

/**
 * How deep `data` may nest. Deep enough for any configuration object, and it stops a cycle
 * before `JSON.stringify` would throw a bare TypeError.
 */
export const MAX_ACK_DATA_DEPTH = 16;

/** Interaction acknowledgements. */
export const interactionEndpoints = {
  acknowledge: endpoint('PUT', Routes.interaction, { request: acknowledgement }),
};

function acknowledgement({ code, data, appId }: AcknowledgeInput): RequestParts {
  requireInteger(code, 'code', InteractionAckCode.Success, InteractionAckCode.AdminOnly);
  // The copy is what goes out: each value read once, as checked, so a getter or a later change
  // cannot send something other than what was checked.
  const body = data === undefined ? { code } : { code, data: copyAckObject(data, 'data', 1) };
  // The platform matches the callback to the bot by this header as well as the token.
  return { headers: { 'X-Callback-AppID': appId }, body };
}

/**
 * A copy of a plain object whose values JSON carries unchanged, or a `ValidationError` naming the
 * first that it would not: `JSON.stringify` turns a `Date` into a string, `NaN` into `null`, a
 * hole of an array into `null`, calls a `toJSON` of an array's class, and drops `undefined` and
 * functions, sending something other than what the caller built. Own enumerable string keys are
 * what JSON sends, and all that is copied.
 */
function copyAckObject(value: unknown, field: string, depth: number): Record<string, unknown> {
  if (!isPlainObject(value) || !hasPlainPrototype(value))
    throw new ValidationError(field, 'must be a plain object of JSON values');
  if (depth > MAX_ACK_DATA_DEPTH)
    throw new ValidationError(field, `nests deeper than ${MAX_ACK_DATA_DEPTH} levels (a cycle?)`);
  const copy: Record<string, unknown> = {};
  for (const [key, each] of Object.entries(value)) copy[key] = copyAckValue(each, `${field}.${key}`, depth);
  return copy;
}

function copyAckValue(value: unknown, field: string, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(field, 'must be a finite number');
    return value;
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype)
      throw new ValidationError(field, 'must be a plain array, not an instance of a subclass');
    if (depth + 1 > MAX_ACK_DATA_DEPTH)
      throw new ValidationError(field, `nests deeper than ${MAX_ACK_DATA_DEPTH} levels (a cycle?)`);
    const items = value as unknown[];
    const copy: unknown[] = [];
    for (let index = 0; index < items.length; index++) {
      if (!(index in items)) throw new ValidationError(`${field}[${index}]`, 'is a hole, sent as null');
      copy.push(copyAckValue(items[index], `${field}[${index}]`, depth + 1));
    }
    return copy;
  }
  if (typeof value === 'object') return copyAckObject(value, field, depth + 1);
  throw new ValidationError(field, `must be a JSON value, not ${typeof value}`);
}

function hasPlainPrototype(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
