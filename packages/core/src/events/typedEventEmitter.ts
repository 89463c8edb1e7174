import { EventEmitter } from 'node:events';
import type TypedEmitterModule from 'typed-emitter';

/** A map from event name to listener signature. */
export type EventMap = TypedEmitterModule.EventMap;

/** Node's `EventEmitter` whose `on`/`emit` are checked against an event map. */
export type TypedEmitter<Events extends EventMap> = TypedEmitterModule.default<Events>;

/**
 * Returns Node's `EventEmitter` constructor typed for `Events`, as a base class:
 * `class Shard extends typedEventEmitter<ShardEvents>() {}`. (`typed-emitter` ships types only,
 * so the runtime class is Node's own.)
 */
export function typedEventEmitter<Events extends EventMap>(): new () => TypedEmitter<Events> {
  // The interface describes EventEmitter's own methods with narrower types; TypeScript cannot
  // relate the two generically, hence the detour through unknown.
  return EventEmitter as unknown as new () => TypedEmitter<Events>;
}
