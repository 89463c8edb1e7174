import { describeWireValue } from '@bot/core';
import { ValidationError } from '@bot/http';
import { EMPTY_LIST } from './emptyList.js';

/*
 * Shape checks of inbound payloads, run by the model constructors on every event. Each is a plain
 * `typeof` test on a value the constructor reads anyway; the ValidationError (naming the field as
 * `d.<path>`) is built by `refusal` only on failure, so the checks stay small enough to be inlined
 * into the constructors and the success path allocates nothing.
 */

/**
 * Accepts an id the model is addressed or replied to by: a non-empty string.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.author.user_openid`)
 * @returns the value, unchanged
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function wireId(value: unknown, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw refusal(field, 'must be a non-empty string', value);
}

/**
 * Accepts a required id that may also come as a JSON number, as the platform's own examples give
 * forum events' ids (docs/protocol.md §16): a non-empty string or a number.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.author_id`)
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function wireIdOrNumber(value: unknown, field: string): void {
  if ((typeof value === 'string' && value !== '') || typeof value === 'number') return;
  throw refusal(field, 'must be a non-empty string or a number', value);
}

/**
 * Accepts required text, empty or not: a string.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.name`)
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function wireString(value: unknown, field: string): void {
  if (typeof value === 'string') return;
  throw refusal(field, 'must be a string', value);
}

/**
 * Accepts a required whole number (a kind, a result code): a safe integer.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.type`)
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function wireInteger(value: unknown, field: string): void {
  if (Number.isSafeInteger(value)) return;
  throw refusal(field, 'must be an integer', value);
}

/**
 * Accepts a required flag: a boolean.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.owner`)
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function wireBoolean(value: unknown, field: string): void {
  if (typeof value === 'boolean') return;
  throw refusal(field, 'must be a boolean', value);
}

/**
 * Accepts a dispatch's `d` that is an object (`d: null` is not), for the model of any event.
 *
 * @param data - the dispatch's `d`
 * @returns `data`, unchanged
 * @throws {@link ValidationError} naming `d` otherwise
 */
export function wirePayload<T>(data: T): T {
  wireObject(data, 'd', 'the event carries no payload');
  return data;
}

/**
 * Accepts an object (not `null`, not an array).
 *
 * @param value - the wire value
 * @param field - its path in the payload
 * @param missing - what its absence means, as a phrase (`the message names no sender`)
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function wireObject(value: unknown, field: string, missing: string): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw refusal(field, `must be an object: ${missing}`, value);
}

/**
 * Accepts optional text: a string, or `undefined`/`null` for none (read as `''`).
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.content`)
 * @throws {@link ValidationError} naming `field` for any other type
 */
export function wireText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  throw refusal(field, 'must be a string when present', value);
}

/**
 * Accepts an optional list: an array, or `undefined`/`null` for none (read as the shared
 * {@link EMPTY_LIST}). Its items are not looked at (see {@link wireObjectList}).
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.attachments`)
 * @throws {@link ValidationError} naming `field` for any other type
 */
export function wireList<T>(value: readonly T[] | null | undefined, field: string): readonly T[] {
  if (value === undefined || value === null) return EMPTY_LIST;
  if (Array.isArray(value)) return value;
  throw refusal(field, 'must be an array when present', value);
}

/**
 * Accepts an optional list of objects, for a list whose items a model reads (`d.mentions`).
 *
 * @param value - the wire value
 * @param field - its path in the payload
 * @throws {@link ValidationError} naming `field`, or the item (`d.mentions[2]`), otherwise
 */
export function wireObjectList<T>(value: readonly T[] | null | undefined, field: string): readonly T[] {
  const list = wireList(value, field);
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw refusal(`${field}[${index}]`, 'must be an object', item);
  }
  return list;
}

/**
 * Accepts an optional object: an object, or `undefined`/`null` for none.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.member`)
 * @returns `true` when there is one
 * @throws {@link ValidationError} naming `field` for any other type
 */
export function hasWireObject(value: unknown, field: string): value is object {
  if (value === undefined || value === null) return false;
  if (typeof value === 'object' && !Array.isArray(value)) return true;
  throw refusal(field, 'must be an object when present', value);
}

/**
 * Accepts an optional id: a non-empty string, or `undefined`/`null` for none.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.op_user_id`)
 * @throws {@link ValidationError} naming `field` for any other value
 */
export function wireOptionalId(value: unknown, field: string): void {
  if (value === undefined || value === null || (typeof value === 'string' && value !== '')) return;
  throw refusal(field, 'must be a non-empty string when present', value);
}

/**
 * Accepts an optional id that the platform's own examples sometimes give as a JSON number (forum
 * events, docs/protocol.md §16): a non-empty string, a number, or `undefined`/`null` for none.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.guild_id`)
 * @throws {@link ValidationError} naming `field` for any other value
 */
export function wireOptionalIdOrNumber(value: unknown, field: string): void {
  if (typeof value === 'number') return;
  if (value === undefined || value === null || (typeof value === 'string' && value !== '')) return;
  throw refusal(field, 'must be a non-empty string or a number when present', value);
}

/**
 * Accepts optional text kept as received: a string, or `undefined`/`null` for none.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.nick`)
 * @throws {@link ValidationError} naming `field` for any other type
 */
export function wireOptionalString(value: unknown, field: string): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  throw refusal(field, 'must be a string when present', value);
}

/**
 * Accepts optional forum text: a string (as the REST API gives it), an array of rich-text
 * elements (as events give it; the items are not looked at), or `undefined`/`null` for none.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.thread_info.title`)
 * @throws {@link ValidationError} naming `field` for any other type
 */
export function wireOptionalRichText(value: unknown, field: string): void {
  if (value === undefined || value === null || typeof value === 'string' || Array.isArray(value)) return;
  throw refusal(field, 'must be a string or an array when present', value);
}

/**
 * Accepts an optional whole number (a kind, a version): a safe integer, or `undefined`/`null` for
 * none.
 *
 * @param value - the wire value
 * @param field - its path in the payload (`d.chat_type`)
 * @throws {@link ValidationError} naming `field` for any other value
 */
export function wireOptionalInteger(value: unknown, field: string): void {
  if (value === undefined || value === null || Number.isSafeInteger(value)) return;
  throw refusal(field, 'must be an integer when present', value);
}

/**
 * How a field the wire type declares optional is checked when present, by type only: `text` a
 * string, `idOrNumber` a string or a number, `integer` a safe integer, `boolean` a boolean.
 */
export type PresentCheck = 'text' | 'idOrNumber' | 'integer' | 'boolean';

/** What a field refused by {@link wirePresent} must be, by check. */
const PRESENT_PROBLEM: Readonly<Record<PresentCheck, string>> = {
  text: 'must be a string when present',
  idOrNumber: 'must be a string or a number when present',
  integer: 'must be an integer when present',
  boolean: 'must be a boolean when present',
};

/**
 * Accepts a value present (neither `undefined` nor `null`) in an optional field, by its type. A
 * plain test on the value the caller has read: it allocates nothing unless it refuses.
 *
 * @param value - the wire value
 * @param check - what the field's type allows
 * @param key - the field's wire key, named in the refusal as `d.<key>`
 * @param prefix - the path of the object holding the field, `d` by default (`d.user`)
 * @throws {@link ValidationError} naming the field otherwise
 */
export function wirePresent(value: unknown, check: PresentCheck, key: string, prefix = 'd'): void {
  if (fitsPresent(value, check)) return;
  throw refusal(`${prefix}.${key}`, PRESENT_PROBLEM[check], value);
}

/**
 * Whether a value present in an optional field is of the type its check allows. A plain test on
 * the value the caller has read, allocating nothing.
 *
 * @param value - the wire value, neither `undefined` nor `null`
 * @param check - what the field's type allows
 */
export function fitsPresent(value: unknown, check: PresentCheck): boolean {
  switch (check) {
    case 'text':
      return typeof value === 'string';
    case 'idOrNumber':
      return typeof value === 'string' || typeof value === 'number';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/**
 * An optional field's value when it is of the type its check allows, `undefined` otherwise (absent,
 * `null`, or of another type, which {@link warnLeftOff} tells).
 *
 * @param value - the wire value
 * @param check - what the field's type allows
 */
export function presentOrUndefined(value: unknown, check: PresentCheck): unknown {
  return value !== undefined && value !== null && fitsPresent(value, check) ? value : undefined;
}

/**
 * Whether a value is a pair of safe integers (a READY's `[shard id, shard count]`).
 *
 * @param value - the wire value
 */
export function isIntegerPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((item) => Number.isSafeInteger(item));
}

/** The `code` of the process warning {@link warnLeftOff} emits, for `process.on('warning')`. */
export const FIELD_LEFT_OFF_WARNING = 'BOT_EVENT_FIELD_LEFT_OFF';

/** `model:path` pairs already told: each is told once for the process's life. */
const toldLeftOff = new Set<string>();

/**
 * Tells, as a process warning (code {@link FIELD_LEFT_OFF_WARNING}), that an optional field of an
 * event was of another type than its model declares and was left off the model, which still
 * reached its handlers. Why a process warning and not the client's logger: the snapshot models and
 * READY are built from their payload alone and do not reach the client. Told once per model and
 * field for the process's life, as Node tells a deprecation: a sender that gets a field wrong gets
 * it wrong in every such event, and a warning per event would flood stderr. Runs only on a
 * misfit; the value is described by type, size and a short escaped preview, never copied whole.
 *
 * @param model - the model and its events, as the warning names them (`Guild (GUILD_*)`)
 * @param path - the field's path in the payload (`d.owner_id`)
 * @param problem - what the field must be (`must be a string when present`)
 * @param value - the value received
 */
export function warnLeftOff(model: string, path: string, problem: string, value: unknown): void {
  const key = `${model}:${path}`;
  if (toldLeftOff.has(key)) return;
  toldLeftOff.add(key);
  process.emitWarning(`${model}: ${path} left off the model: ${problem}, got ${describeWireValue(value)}`, {
    code: FIELD_LEFT_OFF_WARNING,
  });
}

/**
 * Tells that an optional field refused by its check was left off the model ({@link warnLeftOff}).
 *
 * @param model - the model and its events (`Ready (READY)`)
 * @param path - the field's path in the payload (`d.user.bot`)
 * @param check - what the field's type allows
 * @param value - the value received
 */
export function warnPresentLeftOff(model: string, path: string, check: PresentCheck, value: unknown): void {
  warnLeftOff(model, path, PRESENT_PROBLEM[check], value);
}

/**
 * A field checked when first read, for logging: what `read` gives, or `raw` as received when the
 * payload holds something the field refuses. `console.log` and `JSON.stringify` of a model then
 * show a malformed payload instead of throwing in the handler that logs it.
 *
 * @param read - reads the checked field
 * @param raw - the wire value behind it
 */
export function shownOrRaw(read: () => unknown, raw: unknown): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof ValidationError) return raw;
    throw error;
  }
}

/** The error of a refused field: `d.content must be a string when present, got a number`. */
function refusal(field: string, problem: string, value: unknown): ValidationError {
  return new ValidationError(field, `${problem}, got ${describe(value)}`);
}

/** The value's type, for a refusal: `undefined`, `null`, `an array`, `a number`, … */
function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
