import type { DispatchPayload } from '../../protocol/GatewayProtocol.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { failureKind } from '../support/failureKind.js';
import { parkEvent, type DeadLetterStream } from './parkEvent.js';
import { UnpublishedEventError } from './UnpublishedEventError.js';
import { messageOf } from '@bot/core';

/** The event of a failed publish, as a dead letter would record it. */
export interface FailedEvent {
  /** The dispatch. */
  payload: DispatchPayload;
  /** Its stream entry. */
  entry: readonly string[];
  /** The entry's size. */
  bytes: number;
}

/**
 * What a failed publish reports: its own {@link UnpublishedEventError} as it is; for an event
 * Redis refused for good, the event parked in the dead-letter stream (so it never holds its
 * shard's sequence number back); for a failure that stayed transient through every try, the event
 * given up on as unreachable, or as closed when the publisher was closed while it waited.
 *
 * @param error - what the publish failed with
 * @param deadLetters - where a refused event is parked
 * @param what - the publish, as the error names it
 * @param shardId - the shard the event came from, if any
 * @param event - the event, for the dead letter and the error
 * @param closed - whether `close()` cut the publish short
 */
export async function unpublishedAfterFailure(
  error: unknown,
  deadLetters: DeadLetterStream,
  what: string,
  shardId: number | undefined,
  { payload, entry, bytes }: FailedEvent,
  closed = false,
): Promise<UnpublishedEventError> {
  if (error instanceof UnpublishedEventError) return error;
  const cause = error instanceof RedisOperationError ? error.cause : error;
  if (failureKind(cause) === 'permanent') {
    const refusal = messageOf(cause);
    return parkEvent(
      deadLetters,
      what,
      shardId,
      { reason: 'refused', error: refusal, payload, entry, bytes },
      cause,
    );
  }
  if (closed) {
    return new UnpublishedEventError(what, shardId, payload, 'closed', {
      cause,
      outcome:
        'the publisher was closed while it waited for Redis, so this one is dropped; publish it again from this payload, or let idle() settle before close()',
    });
  }
  return new UnpublishedEventError(what, shardId, payload, 'unreachable', {
    cause,
    outcome: 'retries used up; this one is dropped',
  });
}
