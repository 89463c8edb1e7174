/**
 * How many errors deep {@link findInCauses} reads a `cause` chain: a handler's failure wrapping a
 * bot's own error wrapping the refusal is three; the cap ends a chain built in a loop.
 */
export const MAX_CAUSE_DEPTH = 8;

/**
 * Reads an error and then its `cause` chain, outermost first, and gives the first answer `read`
 * has for one of them. The one walk that the readers of wrapped errors share, so that they agree:
 * `platformCodeOf`, and a reader of whether a failure wrapped by a handler or by the bot
 * certainly sent nothing. Any `Error`'s `cause` is followed, not only the framework's wrappers;
 * the walk ends at a cause that is not an `Error`, reads each error once (a cycle of causes ends)
 * and at most {@link MAX_CAUSE_DEPTH} of them.
 *
 * ```ts
 * // The status of the platform's refusal, however deep a handler wrapped it.
 * const status = findInCauses(error, (each) => (each instanceof ApiError ? each.status : undefined));
 * ```
 *
 * @param error - anything caught
 * @param read - the answer for one error, or `undefined` to read on into its `cause`; an error
 *   whose own kind settles the question should answer, so that what it wraps is not read
 * @returns the first answer, or `undefined` when no error of the chain had one
 */
export function findInCauses<T>(error: unknown, read: (error: Error) => T | undefined): T | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    const answer = read(current);
    if (answer !== undefined) return answer;
    if (seen.add(current).size >= MAX_CAUSE_DEPTH) return undefined;
  }
  return undefined;
}
