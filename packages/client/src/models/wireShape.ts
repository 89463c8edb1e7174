import { ValidationError } from '@bot/http';

/*
 * Shape checks of inbound payloads, run by the model constructors on every event. Each is a plain
 * `typeof` test on a value the constructor reads anyway, and builds its ValidationError (naming
 * the field as `d.<path>`) only on failure: the success path allocates nothing.
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
  if (typeof value !== 'string' || value === '')
    throw new ValidationError(field, `must be a non-empty string, got ${describe(value)}`);
  return value;
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
    throw new ValidationError(field, `must be an object: ${missing}, got ${describe(value)}`);
}

/** The value's type, for a refusal: `undefined`, `null`, `an array`, `a number`, … */
function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
