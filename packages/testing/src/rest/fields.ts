import { isInteger, isJsonObject, type JsonObject } from '../util/guards.js';
import { ErrorCode } from './errorCodes.js';
import { invalidField, RestError } from './RestError.js';

/**
 * Typed readers for request bodies and queries. Each throws a 400 naming the field when the value
 * has the wrong type, so handlers never see malformed input.
 */

/** The body as an object; an absent body reads as `{}`. */
export function bodyObject(body: unknown): JsonObject {
  if (body === undefined) return {};
  if (!isJsonObject(body))
    throw new RestError(400, ErrorCode.RequestInvalid, 'request body must be a JSON object');
  return body;
}

/** A string field, or undefined when absent or null. */
export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField(field, 'must be a string');
  return value;
}

/** A string field that must be present and non-empty. */
export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw invalidField(field, 'is required');
  return value;
}

/** An integer field, or undefined when absent or null. Numeric strings are accepted, as the platform does. */
export function optionalInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw invalidField(field, 'must be an integer');
}

/** A boolean field, or undefined when absent or null. */
export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidField(field, 'must be a boolean');
  return value;
}

/** An object field, or undefined when absent or null. */
export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalidField(field, 'must be an object');
  return value;
}

/** An array-of-strings field, or undefined when absent or null. */
export function optionalStringArray(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidField(field, 'must be an array of strings');
  }
  return value as string[];
}

/** An integer query parameter within bounds, or `fallback` when absent. */
export function queryInteger(
  query: Record<string, string>,
  name: string,
  fallback: number,
  bounds: { min: number; max: number },
): number {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw))
    throw new RestError(400, ErrorCode.RequestInvalid, `query "${name}" must be an integer`);
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new RestError(
      400,
      ErrorCode.RequestInvalid,
      `query "${name}" must be between ${bounds.min} and ${bounds.max}`,
    );
  }
  return value;
}
