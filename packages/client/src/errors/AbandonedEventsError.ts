import { BotError, wireName } from '@bot/core';
import type { AbandonedEvent } from '../dispatch/AbandonedEvent.js';

/** How many events the message names one by one; `events` always has them all. */
const NAMED_IN_MESSAGE = 10;

/**
 * `shutdown()` ran out of time with events not fully handled. Each is in {@link events} with its
 * shard, sequence number, name, id and payload: those that never `started` were not seen by any
 * handler, the others were cut off part-way (their handlers go on unwaited, without REST). Gateway
 * sessions are closed at the last event handled, before these: a process that resumes them from
 * the same session store within the platform's resume window gets these events again, so do not
 * handle their payloads yourself as well, or they are handled twice. They are not replayed when
 * the sessions were closed with `invalidateSessions`, when no successor resumes in time, or for
 * webhook deliveries: keep those payloads if they matter, or give `shutdown()` a longer deadline.
 * Events from an event source (`startFrom`) are rejected with this error, so the source leaves
 * them unacknowledged and delivers them again.
 */
export class AbandonedEventsError extends BotError {
  public readonly kind = 'abandoned' as const;

  /**
   * @param events - every event given up on, in lane order
   * @param deadlineMs - the deadline that ran out, in milliseconds
   */
  public constructor(
    public readonly events: readonly AbandonedEvent[],
    public readonly deadlineMs: number,
  ) {
    const named = events.slice(0, NAMED_IN_MESSAGE).map(describeEvent).join(', ');
    const rest = events.length > NAMED_IN_MESSAGE ? `, and ${events.length - NAMED_IN_MESSAGE} more` : '';
    super(
      `shutdown deadline of ${deadlineMs} ms passed with ${events.length} event(s) not fully handled: ` +
        `${named}${rest}; the gateway sessions closed before them, so a process resuming them from the ` +
        'same session store gets them again (do not handle them yourself too), and an event source ' +
        'delivers its own again; webhook deliveries and sessions closed for good are not replayed: ' +
        'keep those payloads (error.events) or allow a longer deadline',
    );
  }
}

/** `GROUP_AT_MESSAGE_CREATE (shard 0, seq 42, id …, not started)`. */
function describeEvent(event: AbandonedEvent): string {
  const where = [
    event.shardId === undefined ? 'webhook' : `shard ${event.shardId}`,
    event.seq === undefined ? undefined : `seq ${event.seq}`,
    event.id === undefined ? undefined : `id ${wireName(event.id)}`,
    event.started ? 'cut off' : 'not started',
  ].filter((part) => part !== undefined);
  return `${wireName(event.event)} (${where.join(', ')})`;
}

declare module '@bot/core' {
  interface BotErrorKinds {
    abandoned: AbandonedEventsError;
  }
}
