import { types } from 'node:util';
import { isPlainObject, ValidationError } from '@bot/core';
import { describeValue } from '../errors/describeValue.js';

/** The builders' prototypes (see {@link markBuilderClass}). */
const builderPrototypes = new WeakSet<object>();

/**
 * Says that instances of `builder` (and of its subclasses) are builders, never a body: their
 * fields are private, so spread as a body they would send nothing. Called by each builder class;
 * a registry rather than an import keeps the builder modules free of a cycle with this one.
 *
 * @param builder - `MessageParams` or `OpenMessageParams`
 */
export function markBuilderClass(builder: { readonly prototype: object }): void {
  builderPrototypes.add(builder.prototype);
}

/**
 * Refuses what a builder's `from` cannot wrap as a message body: a reply's input arrives there
 * when it is neither a string nor the builder, and a value of another type from JavaScript or `any`
 * would otherwise become an empty body refused for a field the caller never set.
 *
 * @param input - what the caller passed
 * @param builder - the builder's name (`MessageParams`, `OpenMessageParams`), for the error
 * @throws {@link ValidationError} (`input`) saying what was passed and what is taken
 */
export function requireMessageBody(input: unknown, builder: string): void {
  if (isPlainObject(input) && !isBuilder(input) && !isBuiltIn(input)) return;
  if (typeof input === 'string')
    throw new ValidationError('input', `is a string: wrap text with ${builder}.text(text)`);
  throw new ValidationError(
    'input',
    `must be a string, ${withArticle(builder)} builder or a message body (an object such as { content: 'Pong!' }), ` +
      `not ${describeInput(input)}`,
  );
}

/** A builder of either kind, or of a subclass of one. */
function isBuilder(value: object): boolean {
  for (let prototype = Object.getPrototypeOf(value) as object | null; prototype !== null;) {
    if (builderPrototypes.has(prototype)) return true;
    prototype = Object.getPrototypeOf(prototype) as object | null;
  }
  return false;
}

/**
 * A built-in object whose JSON is not its fields (a Map or Set writes `{}`, a Date a string, a
 * typed array its indexes). Told by its internal slots, not `instanceof`, so one made in another
 * realm (`vm`) is told too; any other object, a class instance included, is a body of fields.
 */
function isBuiltIn(value: object): boolean {
  return (
    types.isMap(value) ||
    types.isSet(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value) ||
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isPromise(value) ||
    types.isAnyArrayBuffer(value) ||
    ArrayBuffer.isView(value) ||
    types.isBoxedPrimitive(value)
  );
}

function describeInput(input: unknown): string {
  // An instance (a builder, a Map, a Date) is named by its class; its JSON says little.
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const name = (input.constructor as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return withArticle(name);
  }
  return describeValue(input);
}

/**
 * `a MessageParams`, `an OpenMessageParams`, `a Uint8Array`: a class name with the article its
 * sound takes (a `U` read as "you" takes `a`).
 */
function withArticle(name: string): string {
  return `${/^(?:[AEIO]|U(?!i|ni))/i.test(name) ? 'an' : 'a'} ${name}`;
}
