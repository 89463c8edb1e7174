import { ValidationError } from '@bot/http';

/**
 * Accepts a safe integer within `[min, max]`; the shared check behind every count, id and limit
 * the gateway takes from its caller.
 *
 * @param field - the caller's name for the value, put first in the error
 * @param value - the value to check
 * @param min - smallest allowed value
 * @param max - largest allowed value; unbounded when omitted
 * @throws {@link ValidationError} naming `field` and the value it got
 */
export function requireInteger(field: string, value: number, min: number, max?: number): void {
  if (Number.isSafeInteger(value) && value >= min && (max === undefined || value <= max)) return;
  const allowed = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
  throw new ValidationError(field, `must be an integer ${allowed} (got ${value})`);
}
