/** Delta seconds as RFC 9110 writes them, with the fraction some servers add. */
const DELTA_SECONDS = /^\d+(\.\d+)?$/;
/** An HTTP date starts with the day's name (IMF-fixdate, RFC 850 and asctime forms alike). */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * Reads a `Retry-After` header: delta seconds or an HTTP date. Anything else (a negative or
 * non-decimal number, `NaN`, `Infinity`, a date `Date.parse` would guess at) is unreadable; the
 * caller then backs off as if the header were absent. A readable value is returned however large:
 * capping it is the caller's decision, and the caller reports what the platform asked for.
 *
 * @param header - the header's value
 * @param now - what an HTTP date is measured against, epoch ms: the answer's time (see
 *   {@link answeredAt}), the local wall clock by default
 * @returns milliseconds to wait (finite, at least 0), or `undefined` when absent or unreadable
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (DELTA_SECONDS.test(text)) {
    const ms = Math.ceil(Number(text) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const date = parseHttpDate(text);
  return date === undefined ? undefined : Math.max(0, date - now);
}

/**
 * When an answer was sent, by the server's clock: its `Date` header, or the local wall clock when
 * it has none that reads. An HTTP-date `Retry-After` measured against it is the wait the server
 * meant, however far the local clock is off (an hour ahead would otherwise make the wait 0).
 *
 * @param dateHeader - the answer's `Date` header
 * @returns epoch ms
 */
export function answeredAt(dateHeader: string | undefined): number {
  return (dateHeader === undefined ? undefined : parseHttpDate(dateHeader.trim())) ?? Date.now();
}

/** An HTTP date as epoch ms; `undefined` for anything else, rather than what `Date.parse` guesses. */
function parseHttpDate(text: string): number | undefined {
  if (!HTTP_DATE.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}
