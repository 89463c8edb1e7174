import { inspect } from 'node:util';

/** How many causes deep a printed error follows its chain; the next one is shown as text. */
const CAUSE_DEPTH = 3;

/**
 * What a log line shows of a failure: for an `Error`, a plain copy with its name, message, stack
 * and cause, and nothing else. Loggers print an error's own fields after its message, and an error
 * carrying objects (`AbandonedEventsError.events`) or a route and a kind would print as
 * `AbandonedEventsError, [object Object],[object Object], 1000, abandoned`; the fields stay on the
 * error `error()` receives. The cause is kept (often the real failure: the database error a
 * handler wrapped), itself as a printable copy, {@link CAUSE_DEPTH} levels deep. Anything else is
 * returned as it is.
 *
 * @param failure - what was thrown or reported
 */
export function printableError(failure: unknown): unknown {
  return printable(failure, CAUSE_DEPTH);
}

function printable(failure: unknown, depth: number): unknown {
  if (!(failure instanceof Error)) return failure;
  const copy = new Error(
    failure.message,
    'cause' in failure ? { cause: printableCause(failure.cause, depth) } : {},
  );
  // The name on a prototype, not the copy: loggers show it as the error's name, never as a field.
  Object.setPrototypeOf(copy, Object.create(Error.prototype, { name: { value: failure.name } }));
  copy.stack = failure.stack ?? `${failure.name}: ${failure.message}`;
  return copy;
}

/** A cause as a log line may show it: a printable copy, or text past the depth or for an object. */
function printableCause(cause: unknown, depth: number): unknown {
  if (cause instanceof Error)
    return depth > 0 ? printable(cause, depth - 1) : `${cause.name}: ${cause.message}`;
  // A logger would print any other object as `[object Object]`.
  return typeof cause === 'object' && cause !== null
    ? inspect(cause, { depth: 2, breakLength: Infinity })
    : cause;
}
