import { inspect } from 'node:util';

/**
 * The key `console.log` and `util.inspect` look for to show an object their own way. Typed as
 * `inspect.custom`'s unique symbol, not `symbol`: the models' declarations use it as a computed
 * member name, which TypeScript before 5.8 accepts only for a unique symbol.
 */
export const INSPECT: typeof inspect.custom = inspect.custom;

/**
 * What `console.log` shows for a model whose fields are getters: its class name and the fields
 * it would serialise to, inspected with the caller's options (colours, depth).
 *
 * @param model - the model being inspected
 * @param options - the options `util.inspect` passed to the model's inspect method
 */
export function inspectModel(model: { toJSON(): Record<string, unknown> }, options: object): string {
  return `${model.constructor.name} ${inspect(model.toJSON(), options)}`;
}
