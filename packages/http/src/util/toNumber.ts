/**
 * Reads a number the platform may send as a number or as a numeric string (codes, `expires_in`).
 *
 * @param value - a field of a parsed JSON body
 * @returns the number, or `undefined` when the value is absent or not numeric
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}
