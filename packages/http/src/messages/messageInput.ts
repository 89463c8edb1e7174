import { isPlainObject, ValidationError } from '@bot/core';
import { describeValue } from '../errors/describeValue.js';

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
  if (isPlainObject(input) && isBareObject(input)) return;
  if (typeof input === 'string')
    throw new ValidationError('input', `is a string: wrap text with ${builder}.text(text)`);
  throw new ValidationError(
    'input',
    `must be a string, ${withArticle(builder)} builder or a message body (an object such as { content: 'Pong!' }), ` +
      `not ${describeInput(input)}`,
  );
}

/** An object literal or one without a prototype, not an instance of some class. */
function isBareObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeInput(input: unknown): string {
  // An instance (another kind of builder, a Map, a Date) is named by its class; its JSON says little.
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const name = (input.constructor as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return withArticle(name);
  }
  return describeValue(input);
}

/** `a MessageParams`, `an OpenMessageParams`: a class name with the article its sound takes. */
function withArticle(name: string): string {
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}
