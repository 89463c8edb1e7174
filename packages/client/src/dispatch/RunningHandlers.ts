import type { GatewayPayload } from '@bot/core';
import type { EventPlans } from './EventPlans.js';
import { rawHandlerLabel } from './handlerHooks.js';

/**
 * Which handler each event's run is at, so a handler deadline names the one that has not
 * finished. An event's handlers run one after another, so that is the last one started. Only a
 * run of several handlers records it (a `WeakMap` write per handler, freed with the payload); an
 * event with a single typed handler and no raw handler, the usual case, records nothing.
 */
export class RunningHandlers {
  readonly #labels = new WeakMap<GatewayPayload, string>();

  /**
   * Raw handler `index` starts on `payload`.
   *
   * @param payload - the event
   * @param index - the raw handler's registration index
   */
  public raw(payload: GatewayPayload, index: number): void {
    this.#labels.set(payload, rawHandlerLabel(index));
  }

  /**
   * A typed handler starts on `payload`.
   *
   * @param payload - the event
   * @param label - the handler, named as `HandlerError.handler` names one (`Bot#0.groupMessageCreate`)
   */
  public typed(payload: GatewayPayload, label: string): void {
    this.#labels.set(payload, label);
  }

  /**
   * The handler `payload`'s run is at: the last one recorded, else its only typed handler.
   *
   * @param payload - the event
   * @param plans - the dispatcher's plans, for an event with a single typed handler
   */
  public of(payload: GatewayPayload, plans: EventPlans): string | undefined {
    return this.#labels.get(payload) ?? plans.of(payload.t)?.calls[0]?.label;
  }
}
