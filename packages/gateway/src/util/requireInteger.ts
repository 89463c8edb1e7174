import { requireInteger as requireIntegerOf } from '@bot/core';

/**
 * `requireInteger` of `@bot/core` with the field first, the order the shard's option checks still
 * use; everything else calls `@bot/core`'s directly.
 *
 * @param field - the caller's name for the value
 * @param value - the value to check
 * @param min - smallest allowed value
 * @param max - largest allowed value; unbounded when omitted
 * @throws {@link ValidationError} naming `field` and the value it got
 */
export function requireInteger(field: string, value: number, min: number, max?: number): void {
  requireIntegerOf(value, field, min, max);
}
