import { ValidationError } from '../errors/ValidationError.js';
import { MAX_TIMER_DELAY } from '../time/abort.js';

/*
 * Argument checks run before a request is built, so a mistake surfaces as a ValidationError
 * naming the caller's parameter instead of a platform error code after a round trip. Each check
 * returns the value it accepted, which lets call sites validate and use a value in one place.
 */

/**
 * Whether `value` can be a gateway sequence number (`s`): a non-negative safe integer. Strings,
 * `Infinity` (`1e400` in JSON), `NaN`, negative and fractional values are not; trusting one would
 * move a session's resume point somewhere no replay can start from.
 */
export function isSequence(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** `true` for a string with at least one non-whitespace character. */
export function isNonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** `true` for a non-null object that is not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Accepts an id: a string with at least one non-whitespace character.
 *
 * @param value - the argument
 * @param field - the caller's name for it (`channelId`)
 * @throws {@link ValidationError} otherwise
 */
export function requireId(value: unknown, field: string): string {
  if (!isNonBlank(value)) throw new ValidationError(field, 'must be a non-empty string');
  return value;
}

/**
 * Accepts `undefined` or an id.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @throws {@link ValidationError} for an empty or non-string value
 */
export function optionalId(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireId(value, field);
}

/**
 * Accepts text with at least one non-whitespace character.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @throws {@link ValidationError} otherwise
 */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'must be a string');
  if (value.trim() === '') throw new ValidationError(field, 'must not be empty');
  return value;
}

/**
 * Accepts an object (not `null`, not an array).
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @throws {@link ValidationError} otherwise
 */
export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ValidationError(field, 'must be an object');
  return value;
}

/**
 * Accepts a safe integer of at least `min` and, when `max` is given, at most `max`: the check
 * behind every count, id, limit and bounded number the framework takes from its caller.
 *
 * @param value - the argument
 * @param field - the caller's name for it (`limits.maxBodyBytes`)
 * @param min - smallest allowed value
 * @param max - largest allowed value; unbounded when omitted
 * @returns the value, unchanged
 * @throws {@link ValidationError} naming `field`, the allowed range and the value it got
 */
export function requireInteger(value: unknown, field: string, min: number, max?: number): number {
  if (
    Number.isSafeInteger(value) &&
    (value as number) >= min &&
    (max === undefined || (value as number) <= max)
  )
    return value as number;
  const allowed = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
  throw new ValidationError(field, `must be an integer ${allowed} (got ${String(value)})`);
}

/**
 * Accepts `undefined` or what {@link requireInteger} accepts.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @param min - smallest allowed value
 * @param max - largest allowed value; unbounded when omitted
 * @throws {@link ValidationError} otherwise
 */
export function optionalInteger(
  value: unknown,
  field: string,
  min: number,
  max?: number,
): number | undefined {
  return value === undefined ? undefined : requireInteger(value, field, min, max);
}

/**
 * Accepts one of a fixed set of values.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @param allowed - the accepted values
 * @throws {@link ValidationError} otherwise
 */
export function requireOneOf<T extends string | number>(
  value: unknown,
  field: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new ValidationError(
      field,
      `must be one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`,
    );
  }
  return value as T;
}

/**
 * Accepts `undefined` or one of a fixed set of values.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @param allowed - the accepted values
 * @throws {@link ValidationError} otherwise
 */
export function optionalOneOf<T extends string | number>(
  value: unknown,
  field: string,
  allowed: readonly T[],
): T | undefined {
  return value === undefined ? undefined : requireOneOf(value, field, allowed);
}

/**
 * Accepts a non-negative integer written in decimal digits, as the platform sends timestamps,
 * durations and permission bit sets.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @throws {@link ValidationError} otherwise
 */
export function requireDecimalString(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new ValidationError(field, 'must be a string of decimal digits');
  }
  return value;
}

/**
 * Accepts `undefined` or a decimal-digit string.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @throws {@link ValidationError} otherwise
 */
export function optionalDecimalString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireDecimalString(value, field);
}

/**
 * Accepts `undefined` or a boolean.
 *
 * @param value - the argument
 * @param field - the caller's name for it
 * @throws {@link ValidationError} otherwise
 */
export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean')
    throw new ValidationError(field, 'must be a boolean');
  return value;
}

/**
 * Accepts a non-empty array whose every item is an id.
 *
 * @param value - the argument
 * @param field - the caller's name for it; items are named `field[i]`
 * @throws {@link ValidationError} otherwise
 */
export function requireIdList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new ValidationError(field, 'must be a non-empty array');
  return value.map((item, index) => requireId(item, `${field}[${index}]`));
}

/**
 * Checks that exactly one of two mutually exclusive fields is set.
 *
 * @param first - `[name, value]` of the first field
 * @param second - `[name, value]` of the second field
 * @param field - the object holding both, named in the error
 * @throws {@link ValidationError} when both or neither are set
 */
export function requireExactlyOne(first: [string, unknown], second: [string, unknown], field: string): void {
  const firstSet = first[1] !== undefined;
  const secondSet = second[1] !== undefined;
  if (firstSet === secondSet) {
    throw new ValidationError(field, `must set exactly one of ${first[0]} and ${second[0]}`);
  }
}

/**
 * Accepts an absolute `http:` or `https:` URL, as the REST base and the token endpoint must be.
 * A host written without its scheme (`localhost:8080`) parses as a URL of scheme `localhost:` and
 * would only fail once a request is sent; it is refused here, with the spelling to use instead.
 *
 * @param value - the option's value
 * @param field - the option's name (`baseUrl`)
 * @returns the value, unchanged
 * @throws {@link ValidationError} naming the option, the value and what to write instead
 */
export function requireHttpUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(field, "must be an http:// or https:// URL, such as 'https://api.example.com'");
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === 'http:' || protocol === 'https:') return value;
  throw new ValidationError(
    field,
    `must be an http:// or https:// URL, got '${value}'` +
      (!value.includes('://') && URL.canParse(`http://${value}`) ? `: write 'http://${value}'` : ''),
  );
}

/**
 * Accepts a duration in milliseconds: positive, and no longer than Node's timers can hold
 * (a longer one would fire after 1 ms).
 *
 * @param value - the option's value
 * @param field - the option's name (`timeout`)
 * @throws {@link ValidationError} otherwise
 */
export function requireDuration(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMER_DELAY))
    throw new ValidationError(
      field,
      `must be a positive number of milliseconds, at most ${MAX_TIMER_DELAY} (got ${String(value)})`,
    );
  return value;
}

/**
 * Accepts a deadline in milliseconds as {@link requireDuration} does, or `Infinity` for none.
 *
 * @param value - the option's value
 * @param field - the option's name (`handlerTimeout`)
 * @throws {@link ValidationError} otherwise, saying that `Infinity` turns the deadline off
 */
export function requireDeadlineOrInfinity(value: unknown, field: string): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMER_DELAY))
    throw new ValidationError(
      field,
      `must be a positive number of milliseconds, at most ${MAX_TIMER_DELAY} (got ${String(value)}); Infinity turns it off`,
    );
  return value;
}
