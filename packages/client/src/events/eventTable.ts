import { DISPATCH_EVENTS, type DispatchEventMethod, type DispatchEventName } from '@bot/core';
import { MODEL_BUILDERS, type ModelBuilder } from '../models/eventModels.js';

/** How one dispatch event reaches handlers: the method called and how its model is built. */
export interface EventRoute<Name extends DispatchEventName = DispatchEventName> {
  /** The {@link EventHandler} method called, as the catalogue of `@bot/core` names it. */
  method: DispatchEventMethod<Name>;
  /** Builds the model passed to the method; `undefined` for methods that take none (`resumed`). */
  toModel: ModelBuilder<Name>;
}

/** Every event the client models, by wire name: its handler method and how its model is built. */
export type EventTable = { [Name in DispatchEventName]: EventRoute<Name> };

/**
 * Every event the platform documents, by its exact wire name (UPPER_SNAKE: `AUDIO_ON_MIC`, not
 * `audio_on_mic`), with the handler method it calls: the catalogue of `@bot/core` joined with the
 * model builders. Events missing here still reach raw handlers. The README's event table is this
 * table.
 */
export const EVENT_TABLE: Readonly<EventTable> = Object.freeze(
  Object.fromEntries(
    (Object.keys(DISPATCH_EVENTS) as DispatchEventName[]).map((name) => [
      name,
      Object.freeze({ method: DISPATCH_EVENTS[name].method, toModel: MODEL_BUILDERS[name] }),
    ]),
  ) as EventTable,
);

/**
 * The table as a `Map`, for {@link routeOf}. The dispatcher asks it once per catalogued name (on
 * the name's first event; `EventPlans` keeps the answer) and on every event of a name not in it.
 */
const ROUTES: ReadonlyMap<string, EventRoute> = new Map(
  Object.entries(EVENT_TABLE) as [string, EventRoute][],
);

/**
 * Looks up the route of an event name; `undefined` for events this framework does not model.
 *
 * @param name - the `t` of a dispatch payload
 */
export function routeOf(name: string | undefined): EventRoute | undefined {
  return name === undefined ? undefined : ROUTES.get(name);
}
