/**
 * What a log line shows of a failure: for an `Error`, a plain copy with its name, message and
 * stack and nothing else. Loggers print an error's own fields after its message, and an error
 * carrying objects (`AbandonedEventsError.events`) or a route and a kind would print as
 * `AbandonedEventsError, [object Object],[object Object], 1000, abandoned`; the fields stay on the
 * error `error()` receives. Anything else is returned as it is.
 *
 * @param failure - what was thrown or reported
 */
export function printableError(failure: unknown): unknown {
  if (!(failure instanceof Error)) return failure;
  const copy = new Error(failure.message);
  copy.name = failure.name;
  copy.stack = failure.stack ?? `${failure.name}: ${failure.message}`;
  return copy;
}
