import type { DispatchEventName } from '@bot/core';
import type { EventHandler } from '../events/EventHandler.js';
import { routeOf } from '../events/eventTable.js';
import type { ModelBuilder } from '../models/eventModels.js';
import { handlerCallsOf, type HandlerCall } from './handlerHooks.js';

/** What the dispatcher does with the events of one name: how to build the model, and whom to call. */
export interface EventPlan {
  /** Builds the model from the payload's `d`. */
  readonly toModel: ModelBuilder<DispatchEventName>;
  /** The handlers implementing the event's method, in registration order; never empty. */
  readonly calls: readonly HandlerCall[];
}

/** A catalogued name and its plan (`undefined` when no handler implements its method). */
interface PlanEntry {
  readonly name: string;
  readonly plan: EventPlan | undefined;
}

/**
 * The {@link EventPlan} of each event name, worked out on the name's first event: one lookup per
 * event instead of a route lookup and a handler lookup. Only names of the catalogue are kept, so a
 * stream of unknown names cannot grow the table.
 *
 * Why buckets by length and not a `Map` by name: a `t` fresh from `JSON.parse` is no interned
 * string, so a map hashes every character of it on every event. Here a name is compared with the
 * catalogued names of its length seen so far: at most 6 of the 53 share a length, and some share
 * most of their characters (`GUILD_MEMBER_UPDATE` and `GUILD_MEMBER_REMOVE`, 13), yet comparing
 * at most 34 one-byte characters still costs less than hashing them. On the ingest mix's names
 * (no length holds more than 2 of them), fresh from `JSON.parse`: 54–62 → 18–20 ns per lookup
 * (medians of 40 paired rounds in three runs; paired gain 33–43 ns).
 */
export class EventPlans {
  readonly #handlers: readonly EventHandler[];
  /** Index: name length. Names of the catalogue seen so far, each with its plan. */
  readonly #byLength: Array<PlanEntry[] | undefined> = [];

  /** @param handlers - the typed handlers, in call order */
  public constructor(handlers: readonly EventHandler[]) {
    this.#handlers = handlers;
  }

  /**
   * The plan for events named `name`, or `undefined` when the framework does not model the event
   * or no handler implements its method (nothing to build, nobody to call).
   *
   * @param name - the `t` of a dispatch payload
   */
  public of(name: string | undefined): EventPlan | undefined {
    if (name === undefined) return undefined;
    const bucket = this.#byLength[name.length];
    if (bucket !== undefined) {
      for (let index = 0; index < bucket.length; index++) {
        const entry = bucket[index]!;
        if (entry.name === name) return entry.plan;
      }
    }
    const route = routeOf(name);
    if (route === undefined) return undefined;
    const calls = handlerCallsOf(this.#handlers, route.method);
    const plan =
      calls.length === 0 ? undefined : { toModel: route.toModel as ModelBuilder<DispatchEventName>, calls };
    if (bucket === undefined) this.#byLength[name.length] = [{ name, plan }];
    else bucket.push({ name, plan });
    return plan;
  }
}
