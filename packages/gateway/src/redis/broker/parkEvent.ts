import type { Redis } from 'ioredis';
import { RedisOperationError } from '../RedisOperationError.js';
import { failureKind } from '../support/failureKind.js';
import { withRetries, type RetryPolicy } from '../support/retry.js';
import { encodeDeadLetter, type DeadLetter } from './deadLetter.js';
import { UnpublishedEventError } from './UnpublishedEventError.js';
import { messageOf, raceAbort } from '@bot/core';

/** Where a publisher parks the events it cannot publish. */
export interface DeadLetterStream {
  /** A connected client. */
  readonly redis: Redis;
  /** The dead-letter stream's key. */
  readonly key: string;
  /** Entries the stream keeps, approximately (`XADD MAXLEN ~`). */
  readonly maxLength: number;
  /** The publisher's retry policy; its `attempts` is replaced by a few. */
  readonly retry: RetryPolicy;
  /** Aborted when the publisher closes: a dead letter still waiting for Redis is given up. */
  readonly closing: AbortSignal;
}

/** Tries of writing a dead letter: a few, as the event waits for it before it counts as settled. */
const PARK_ATTEMPTS = 3;

/**
 * Writes the event to the dead-letter stream, with its payload unless it is oversized; when Redis
 * refuses the full dead letter as well (a protocol size limit), its description without the
 * payload. Resolves with the error to report, whether or not the dead letter was written: the
 * error carries the payload either way.
 *
 * @param stream - the dead-letter stream
 * @param what - the publish, as the error names it
 * @param shardId - the shard the event came from, if any
 * @param letter - what to record
 * @param cause - why the event was not published
 */
export async function parkEvent(
  stream: DeadLetterStream,
  what: string,
  shardId: number | undefined,
  letter: DeadLetter,
  cause: unknown,
): Promise<UnpublishedEventError> {
  const variants = letter.reason === 'oversized' ? [false] : [true, false];
  let failure: unknown;
  for (const withPayload of variants) {
    try {
      const deadLetterId = await withRetries(
        { operation: 'write a dead letter', shardId },
        () =>
          raceAbort(
            stream.redis.call(
              'XADD',
              stream.key,
              'MAXLEN',
              '~',
              stream.maxLength,
              '*',
              ...encodeDeadLetter(letter, withPayload),
            ),
            [stream.closing],
          ),
        { ...stream.retry, attempts: PARK_ATTEMPTS },
        { signal: stream.closing },
      );
      const kept = withPayload ? '' : ' without its payload';
      return new UnpublishedEventError(what, shardId, letter.payload, letter.reason, {
        cause,
        deadLetterId: String(deadLetterId),
        outcome: `parked in ${stream.key} as ${String(deadLetterId)}${kept}`,
      });
    } catch (error) {
      failure = error instanceof RedisOperationError ? error.cause : error;
      if (failureKind(failure) === 'transient') break;
    }
  }
  const why = messageOf(failure);
  return new UnpublishedEventError(what, shardId, letter.payload, letter.reason, {
    cause,
    outcome: `not parked either (${why}); the payload is only in this error`,
  });
}
