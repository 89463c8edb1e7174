/**
 * What went wrong, in words, for a message of our own that names its cause: an `Error`'s message,
 * or anything else thrown, as a string.
 *
 * @param thrown - whatever was thrown or rejected with
 */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
