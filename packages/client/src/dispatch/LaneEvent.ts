import type { Deferred, GatewayPayload } from '@bot/core';

/**
 * An event whose sender waits to learn how it ended, in a lane: the payload, and the completion
 * to settle. `Dispatcher.dispatch` makes one for a broker (which acknowledges an event once
 * it is handled) and for a shard's READY (which counts towards `shardsReady` once handled).
 * Everything else, through `Dispatcher.deliver`, enters its lane as the bare payload: no object
 * of ours per event. A RESUMED is among them: it counts towards `shardsReady` at once, not
 * after the backlog replayed ahead of it, unless a READY of its shard is still being handled
 * (then once that READY's handlers finish; see `ReadyAnnouncer.sessionOpened`).
 */
export class AwaitedEvent {
  /**
   * @param payload - the event
   * @param done - fulfilled once its handlers have finished; rejected when a shutdown gave up on it
   */
  public constructor(
    public readonly payload: GatewayPayload,
    public readonly done: Deferred<void>,
  ) {}
}

/** What a lane holds: a bare payload, or an {@link AwaitedEvent}. */
export type LaneEvent = GatewayPayload | AwaitedEvent;

/**
 * The payload of what a lane holds.
 *
 * @param event - a bare payload or an {@link AwaitedEvent}
 */
export function payloadOf(event: LaneEvent): GatewayPayload {
  return event instanceof AwaitedEvent ? event.payload : event;
}
