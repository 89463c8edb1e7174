/**
 * How far past the last seq read a dispatch may be numbered and still be taken at its word. The
 * platform numbers a session's dispatches 1, 2, 3…, and a replay after a Resume goes on right
 * after the Resume's seq, so a live session steps by 1; the margin leaves room for numbers the
 * platform may skip, while a seq far beyond it (2^53 - 1 from a broken or hostile server) would
 * otherwise become the resume point and make every later event look like a repeat.
 */
export const SEQ_STEP_LIMIT = 1_000;

/**
 * What a dispatch's seq means for the session:
 * - `next`: past the last one read and plausible; the resume point moves to it.
 * - `repeat`: at or behind the last one read during a resume's replay, which legitimately starts
 *   at or before what was read (from the stored seq, or from 0); dropped quietly.
 * - `behind`: at or behind the last one read outside a replay: a repeat or out of order, which a
 *   live session never sends; dropped, and reported.
 * - `farAhead`: more than {@link SEQ_STEP_LIMIT} past the last one read; delivered and reported,
 *   but the resume point stays.
 */
export type SeqVerdict = 'next' | 'repeat' | 'behind' | 'farAhead';

/**
 * How far past a far-ahead seq the next one may be and still continue it: about as far as the
 * jump itself (twice it), or {@link SEQ_STEP_LIMIT} when that is more. A platform skipping numbers
 * steps by similar amounts, while a broken server's second far seq (5000, then 2^53 - 1) is a step
 * of another order, and taking it would make every later event look like a repeat.
 *
 * @param jumpedTo - the far-ahead seq
 * @param last - the last seq read before it, `null` before the session's first
 */
function continuedStepLimit(jumpedTo: number, last: number | null): number {
  return Math.max(SEQ_STEP_LIMIT, 2 * (jumpedTo - (last ?? 0)));
}

/**
 * Judges the seq of each dispatch of one connection against the session's position, the rule the
 * shard moves its resume point by (the client follows a session's seq with it too). A far jump is
 * taken after all when the next seq continues it, above it by at most twice the jump (or
 * {@link SEQ_STEP_LIMIT}): then the session did move on there (numbers skipped upstream, or a platform that always steps by more
 * than {@link SEQ_STEP_LIMIT}), and refusing every later seq would freeze the resume point for
 * good. 2^53 - 1 followed by the normal numbering is still refused, as nothing comes above it, and
 * so is 2^53 - 1 after a smaller jump: its step dwarfs the jump's.
 */
export class SequenceCheck {
  /** The last far-ahead seq, while nothing plausible came after it. */
  #jumpedTo: number | undefined;

  /**
   * @param s - the dispatch's seq, a non-negative safe integer
   * @param last - the last seq read in the session, `null` before its first
   * @param replaying - a Resume went out on this connection and RESUMED has not come yet
   */
  public judge(s: number, last: number | null, replaying: boolean): SeqVerdict {
    if (last !== null && s <= last) return replaying ? 'repeat' : 'behind';
    if (s - (last ?? 0) <= SEQ_STEP_LIMIT) {
      this.#jumpedTo = undefined;
      return 'next';
    }
    const jumpedTo = this.#jumpedTo;
    if (jumpedTo !== undefined && s > jumpedTo && s - jumpedTo <= continuedStepLimit(jumpedTo, last)) {
      this.#jumpedTo = undefined;
      return 'next';
    }
    this.#jumpedTo = s;
    return 'farAhead';
  }
}

/**
 * How many dispatches of each {@link SeqProblem} one connection reports in full; later ones are
 * counted and reported once, as counts, when it ends (see {@link SeqReports}).
 */
export const SEQ_REPORTS_PER_CONNECTION = 10;

/**
 * A dispatch's seq that is reported: `behind` and `farAhead` as in {@link SeqVerdict};
 * `invalid` when `s` is not a non-negative safe integer at all.
 */
export type SeqProblem = 'behind' | 'farAhead' | 'invalid';

/** How each problem reads in the end-of-connection count. */
const COUNTED_AS: Record<SeqProblem, string> = {
  behind: "dispatches at or behind the last seq read outside a resume's replay (dropped)",
  farAhead: `more than ${SEQ_STEP_LIMIT} past it (delivered)`,
  invalid: 'with an invalid seq (delivered)',
};

/**
 * Keeps the reports of wrongly numbered dispatches of one connection bounded: the first
 * {@link SEQ_REPORTS_PER_CONNECTION} of each problem are reported in full as they arrive, the rest
 * only counted, and the counts reported once when the connection ends. A broken or hostile server
 * sending thousands cannot flood `error` listeners, and none goes unsaid. A few are reported in
 * full, not just the first, so that a short burst (a handful of repeats) shows each event id.
 */
export class SeqReports {
  readonly #counts: Record<SeqProblem, number> = { behind: 0, farAhead: 0, invalid: 0 };

  /**
   * Counts one dispatch with `problem`.
   *
   * @returns `undefined` when it is only counted; otherwise text to end its report with (empty,
   *   or for the last one reported in full, a note that later ones are counted)
   */
  public note(problem: SeqProblem): string | undefined {
    const count = ++this.#counts[problem];
    if (count > SEQ_REPORTS_PER_CONNECTION) return undefined;
    return count === SEQ_REPORTS_PER_CONNECTION
      ? ' (later ones on this connection are counted and reported when it ends)'
      : '';
  }

  /** The text to report as the connection ends, when some dispatches were only counted. */
  public summary(): string | undefined {
    const parts: string[] = [];
    for (const problem of ['behind', 'farAhead', 'invalid'] as const) {
      const unreported = this.#counts[problem] - SEQ_REPORTS_PER_CONNECTION;
      if (unreported > 0) parts.push(`${unreported} ${COUNTED_AS[problem]}`);
    }
    if (parts.length === 0) return undefined;
    return (
      `counted without a report each on the connection that ended: ${parts.join(', ')}; ` +
      `the first ${SEQ_REPORTS_PER_CONNECTION} of each were reported as they arrived`
    );
  }
}
