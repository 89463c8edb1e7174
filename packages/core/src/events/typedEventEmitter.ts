import { EventEmitter } from 'node:events';
// A namespace import: `typed-emitter`'s declarations are CommonJS with a default export, which a
// default import reads differently under the `NodeNext`/`Node16` and `Bundler` resolutions (a
// consumer's type-check of our `.d.ts` failed under one or the other); `.default` of the
// namespace is the same interface under all three.
import type * as TypedEmitterModule from 'typed-emitter';

/** A map from event name to listener signature. */
export type EventMap = TypedEmitterModule.EventMap;

/**
 * Node's `EventEmitter` whose methods are checked against an event map: `on('ready', listener)`
 * accepts only an event the map names, with that event's listener; `emit` only its arguments.
 */
export type TypedEmitter<Events extends EventMap> = TypedEmitterModule.default<Events>;

/**
 * Returns Node's `EventEmitter` constructor typed for `Events`, as a base class:
 * `class Shard extends typedEventEmitter<ShardEvents>() {}`. (`typed-emitter` ships types only,
 * so the runtime class is Node's own, and takes its options: `super({ captureRejections: true })`.)
 */
export function typedEventEmitter<Events extends EventMap>(): new (
  // Node's options (`captureRejections`), which its types do not export by name.
  options?: ConstructorParameters<typeof EventEmitter>[0],
) => TypedEmitter<Events> {
  // The interface describes EventEmitter's own methods with narrower types; TypeScript cannot
  // relate the two generically, hence the detour through unknown.
  return EventEmitter as unknown as new (
    options?: ConstructorParameters<typeof EventEmitter>[0],
  ) => TypedEmitter<Events>;
}
