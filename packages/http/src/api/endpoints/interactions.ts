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
  if (data !== undefined) checkAckObject(data, 'data', 1);
  // The platform matches the callback to the bot by this header as well as the token.
  return {
    headers: { 'X-Callback-AppID': appId },
    body: data === undefined ? { code } : { code, data },
  };
}

/**
 * Accepts a plain object whose values JSON carries unchanged: `JSON.stringify` would turn a
 * `Date` into a string, `NaN` into `null`, and drop `undefined` and functions, sending something
 * other than what the caller built.
 */
function checkAckObject(value: unknown, field: string, depth: number): void {
  if (!isPlainObject(value) || !hasPlainPrototype(value))
    throw new ValidationError(field, 'must be a plain object of JSON values');
  if (depth > MAX_ACK_DATA_DEPTH)
    throw new ValidationError(field, `nests deeper than ${MAX_ACK_DATA_DEPTH} levels (a cycle?)`);
  for (const [key, each] of Object.entries(value)) checkAckValue(each, `${field}.${key}`, depth);
}

function checkAckValue(value: unknown, field: string, depth: number): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(field, 'must be a finite number');
    return;
  }
  if (Array.isArray(value)) {
    if (depth + 1 > MAX_ACK_DATA_DEPTH)
      throw new ValidationError(field, `nests deeper than ${MAX_ACK_DATA_DEPTH} levels (a cycle?)`);
    value.forEach((item: unknown, index) => checkAckValue(item, `${field}[${index}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    checkAckObject(value, field, depth + 1);
    return;
  }
  throw new ValidationError(field, `must be a JSON value, not ${typeof value}`);
}

function hasPlainPrototype(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
