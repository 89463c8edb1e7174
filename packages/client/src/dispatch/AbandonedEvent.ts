import type { GatewayPayload } from '@bot/core';

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
