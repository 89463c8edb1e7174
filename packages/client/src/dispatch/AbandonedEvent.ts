import type { GatewayPayload } from '@bot/core';
import { eventName } from './handlerHooks.js';

/** An event a shutdown gave up on, as `AbandonedEventsError.events` lists it. */
export interface AbandonedEvent {
  /** The shard it came from; `undefined` for a webhook or broker delivery without one. */
  readonly shardId: number | undefined;
  /** Its sequence number on the shard's session; `undefined` for webhook deliveries. */
  readonly seq: number | undefined;
  /** Its event name (`GROUP_AT_MESSAGE_CREATE`). */
  readonly event: string;
  /** The platform's event id, when it had one. */
  readonly id: string | undefined;
  /** Whether handlers had started on it (then some may have finished) or it never reached them. */
  readonly started: boolean;
  /** The whole payload, so it can be kept and handled later. */
  readonly payload: GatewayPayload;
}

/**
 * The record of one event given up on.
 *
 * @param shardId - its shard, `undefined` without one
 * @param payload - the event
 * @param started - whether its handlers had started
 */
export function abandonedEventOf(
  shardId: number | undefined,
  payload: GatewayPayload,
  started: boolean,
): AbandonedEvent {
  return {
    shardId,
    seq: payload.s ?? undefined,
    event: eventName(payload),
    id: payload.id,
    started,
    payload,
  };
}
