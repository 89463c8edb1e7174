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

/**
 * The {@link EventPlan} of each event name, worked out on the name's first event: one lookup per
 * event instead of a route lookup and a handler lookup. Only names of the catalogue are kept, so a
 * stream of unknown names cannot grow the table.
 */
export class EventPlans {
  readonly #handlers: readonly EventHandler[];
  /** By event name; `null` for a catalogued event no handler implements. */
  readonly #plans = new Map<string, EventPlan | null>();

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
    let plan = this.#plans.get(name);
    if (plan === undefined) {
      const route = routeOf(name);
      if (route === undefined) return undefined;
      const calls = handlerCallsOf(this.#handlers, route.method);
      plan = calls.length === 0 ? null : { toModel: route.toModel as ModelBuilder<DispatchEventName>, calls };
      this.#plans.set(name, plan);
    }
    return plan ?? undefined;
  }
}
