import { EmulatorError } from '../EmulatorError.js';
import { isInteger, isJsonObject, type JsonObject } from '../util/guards.js';

/** Expected JSON type of a control API field; a trailing `?` makes it optional. */
export type FieldType =
  | 'string'
  | 'string?'
  | 'boolean'
  | 'boolean?'
  | 'integer'
  | 'integer?'
  | 'number?'
  | 'object?'
  | 'array?'
  | 'any';

/** The fields a control endpoint accepts. */
export type FieldSpec = Readonly<Record<string, FieldType>>;

type ValueOf<T extends FieldType> = T extends 'string' | 'string?'
  ? string
  : T extends 'boolean' | 'boolean?'
    ? boolean
    : T extends 'integer' | 'integer?' | 'number?'
      ? number
      : T extends 'object?'
        ? JsonObject
        : T extends 'array?'
          ? unknown[]
          : unknown;

type OptionalType = 'string?' | 'boolean?' | 'integer?' | 'number?' | 'object?' | 'array?' | 'any';

/** The typed result of {@link readFields}: required fields present, optional ones possibly absent. */
export type Fields<S extends FieldSpec> = {
  [K in keyof S as S[K] extends OptionalType ? never : K]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K] extends OptionalType ? K : never]?: ValueOf<S[K]>;
};

function matches(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isJsonObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

/**
 * Checks a control request body against a spec and returns only the known, present fields.
 * Unknown fields and wrong types throw an {@link EmulatorError} naming the field.
 */
export function readFields<S extends FieldSpec>(input: unknown, spec: S): Fields<S> {
  const body = input === undefined ? {} : input;
  if (!isJsonObject(body)) throw new EmulatorError('the request body must be a JSON object');
  for (const name of Object.keys(body)) {
    if (!(name in spec))
      throw new EmulatorError(
        `unknown field "${name}" (accepted: ${Object.keys(spec).join(', ') || 'none'})`,
      );
  }
  const out: JsonObject = {};
  for (const [name, type] of Object.entries(spec)) {
    const value = body[name];
    const optional = type.endsWith('?') || type === 'any';
    if (value === undefined || value === null) {
      if (!optional) throw new EmulatorError(`field "${name}" is required (${type})`);
      continue;
    }
    const base = type.replace('?', '');
    if (!matches(value, base))
      throw new EmulatorError(`field "${name}" must be ${base === 'integer' ? 'an integer' : `a ${base}`}`);
    out[name] = value;
  }
  // Every field was checked against its declared type above, which is what Fields<S> states.
  return out as Fields<S>;
}
