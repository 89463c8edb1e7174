import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import { RedisOperationError } from '../RedisOperationError.js';

/**
 * Why an event is not in the stream:
 * - `backlog-full` — `maxBacklog` events or `maxBacklogBytes` bytes were already waiting for Redis;
 *   it was dropped without a round trip.
 * - `oversized` — its entry is over `maxEntryBytes`; it was parked without being sent.
 * - `refused` — Redis refused the command for good (`WRONGTYPE`, `ERR …`); it was parked.
 * - `unreachable` — a finite `retry.attempts` ran out on transient failures.
 * - `closed` — the publisher was closed (`close()`) before the publish began, or while it waited
 *   for Redis.
 */
export type UnpublishedReason = 'backlog-full' | 'oversized' | 'refused' | 'unreachable' | 'closed';

/** Options of an {@link UnpublishedEventError}. */
export interface UnpublishedEventErrorOptions {
  /** The client's error, or what was wrong with the entry. */
  cause: unknown;
  /** Id of the event's entry in the dead-letter stream, when it was parked there. */
  deadLetterId?: string | undefined;
  /** What became of the event, appended to the message. */
  outcome?: string | undefined;
}

/**
 * A dispatch the publisher could not append to the stream. It carries the payload, so an `error()`
 * handler holds everything that was lost; events that were `refused` or `oversized` are also
 * parked in the dead-letter stream (`…:events:dead`, see the package README), from where they can
 * be published again once the cause is fixed.
 */
export class UnpublishedEventError extends RedisOperationError {
  /** Id of the event's dead-letter entry; `undefined` when it was not parked. */
  public readonly deadLetterId: string | undefined;

  /**
   * @param operation - `publish <type> (event <id>)`
   * @param shardId - the shard that received the event (`undefined` for webhook deliveries)
   * @param payload - the dispatch that is not in the stream
   * @param reason - why
   * @param options - cause, dead-letter id and outcome
   */
  public constructor(
    operation: string,
    shardId: number | undefined,
    public readonly payload: DispatchPayload,
    public readonly reason: UnpublishedReason,
    options: UnpublishedEventErrorOptions,
  ) {
    super(operation, shardId, { cause: options.cause, outcome: options.outcome });
    this.deadLetterId = options.deadLetterId;
  }
}
