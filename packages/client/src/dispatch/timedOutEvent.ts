import { HandlerTimeoutError } from '../errors/HandlerTimeoutError.js';
import { eventName } from './handlerHooks.js';
import { AwaitedEvent, payloadOf, type LaneEvent } from './LaneEvent.js';

/**
 * An event whose handlers passed the deadline, its lane gone on without them: the
 * {@link HandlerTimeoutError} for `error()`. One whose sender waits counts as handled from now on,
 * as after a handler's failure: a broker acknowledges it rather than hand what may be a poison event
 * to the next worker, and a READY lets its shard count towards `shardsReady` (a RESUMED, never
 * waited for, counted on arrival unless a READY of its shard was still being handled).
 *
 * @param event - the event, as its lane held it
 * @param shardId - its shard, `undefined` for a webhook delivery
 * @param ranMs - how long its handlers had run
 * @param timeoutMs - the deadline that passed
 * @param handler - the handler that has not finished, named as a `HandlerError` names one
 */
export function timedOutEvent(
  event: LaneEvent,
  shardId: number | undefined,
  ranMs: number,
  timeoutMs: number,
  handler: string | undefined,
): HandlerTimeoutError {
  const payload = payloadOf(event);
  if (event instanceof AwaitedEvent) event.done.resolve();
  return new HandlerTimeoutError(eventName(payload), payload.id, shardId, ranMs, timeoutMs, handler);
}
