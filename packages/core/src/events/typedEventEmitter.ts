import { EventEmitter } from 'node:events';

// Declared here rather than imported from `typed-emitter`: that package's declarations are
// CommonJS with a default export, which no one import form reads the same way under the
// `NodeNext`/`Node16` and `Bundler` resolutions; a consumer's type-check of our `.d.ts` failed
// under one or the other. The shapes below are the ones it declared, so user code is unchanged.

/**
 * A map from event name to listener signature. (`any[]`, not `unknown[]`: a listener taking a
 * `string` must fit it, and parameters are compared contravariantly.)
 */
export type EventMap = { [event: string]: (...args: any[]) => void };

/**
 * Node's `EventEmitter` whose methods are checked against an event map: `on('ready', listener)`
 * accepts only an event the map names, with that event's listener; `emit` only its arguments.
 */
export interface TypedEmitter<Events extends EventMap> {
  /** Adds `listener` for `event` (as `on`). */
  addListener<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Adds `listener` for `event`. */
  on<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Adds `listener` for the next `event` only. */
  once<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Adds `listener` for `event` before the listeners already added. */
  prependListener<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Adds `listener` for the next `event` only, before the listeners already added. */
  prependOnceListener<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Removes `listener` from `event`. */
  off<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Removes every listener of `event`, or of every event when none is given. */
  removeAllListeners<E extends keyof Events>(event?: E): this;
  /** Removes `listener` from `event` (as `off`). */
  removeListener<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** Calls the listeners of `event` with `args`; `true` when there was one. */
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean;
  /** The events that have listeners (wider than the map: Node lists symbols too). */
  eventNames(): (keyof Events | string | symbol)[];
  /** The listeners of `event`, with `once` wrappers as registered. */
  rawListeners<E extends keyof Events>(event: E): Events[E][];
  /** The listeners of `event`. */
  listeners<E extends keyof Events>(event: E): Events[E][];
  /** How many listeners `event` has. */
  listenerCount<E extends keyof Events>(event: E): number;
  /** The listener count above which Node warns of a leak. */
  getMaxListeners(): number;
  /** Sets the listener count above which Node warns of a leak (0: never). */
  setMaxListeners(maxListeners: number): this;
}

/**
 * Returns Node's `EventEmitter` constructor typed for `Events`, as a base class:
 * `class Shard extends typedEventEmitter<ShardEvents>() {}`. The runtime class is Node's own.
 */
export function typedEventEmitter<Events extends EventMap>(): new () => TypedEmitter<Events> {
  // The interface describes EventEmitter's own methods with narrower types; TypeScript cannot
  // relate the two generically, hence the detour through unknown.
  return EventEmitter as unknown as new () => TypedEmitter<Events>;
}
