/**
 * How far past the last seq read a dispatch may be numbered and still be taken at its word. The
 * platform numbers a session's dispatches 1, 2, 3…, and a replay after a Resume goes on right
 * after the Resume's seq, so a live session steps by 1; the margin leaves room for numbers the
 * platform may skip, while a seq far beyond it (2^53 - 1 from a broken or hostile server) would
 * otherwise become the resume point and make every later event look like a repeat.
 */
export const SEQ_STEP_LIMIT = 1_000;

/**
 * How far past the last seq read a continued far jump (see {@link SequenceCheck}) may take the
 * resume point: 100 × {@link SEQ_STEP_LIMIT}. A platform that skips numbers moves on by similar
 * amounts each time, well within it; a broken or hostile server needs two frames per 100,000
 * to move the resume point, about 9 × 10^10 pairs (years at a thousand frames a second) to reach
 * 2^53 - 1, where a step merely like the jump (2^52 then 2^53 - 1) or a step of 1 (2^53 - 2
 * then 2^53 - 1) would take two frames. A session that does jump further keeps its resume point
 * for the rest of the connection: its events are delivered and reported, and a resume asks from
 * the last seq taken.
 */
export const SEQ_JUMP_LIMIT = 100 * SEQ_STEP_LIMIT;

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
 * Whether `s` continues a far jump to `jumpedTo` from `from`, the last seq read: above the jump
 * by at most twice the jump itself, or {@link SEQ_STEP_LIMIT} when that is more (a platform
 * skipping numbers steps by similar amounts, while 5000 then 2^53 - 1 is a step of another
 * order), and in all at most {@link SEQ_JUMP_LIMIT} past `from` (however alike the steps, a jump
 * of 2^52 is no number skipping).
 */
function continuesJump(s: number, jumpedTo: number, from: number): boolean {
  const jump = jumpedTo - from;
  return s > jumpedTo && s - jumpedTo <= Math.max(SEQ_STEP_LIMIT, 2 * jump) && s - from <= SEQ_JUMP_LIMIT;
}

/**
 * Judges the seq of each dispatch of one connection against the session's position, the rule the
 * shard moves its resume point by. A far jump is taken after all when the next seq continues it
 * (above it by at most twice the jump, or {@link SEQ_STEP_LIMIT} when that is more, and at most
 * {@link SEQ_JUMP_LIMIT} past the last seq read): then the session did move on there (numbers skipped upstream, or
 * a platform that always steps by more than {@link SEQ_STEP_LIMIT}), and refusing every later seq
 * would freeze the resume point for good. Each such move takes two frames and goes at most
 * {@link SEQ_JUMP_LIMIT} past the last seq read, so no pair of frames, however numbered, sets
 * the resume point where every later event looks like a repeat; 2^53 - 1 followed by the normal
 * numbering is refused too, as nothing comes above it.
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
    const from = last ?? 0;
    const jumpedTo = this.#jumpedTo;
    if (s - from <= SEQ_STEP_LIMIT || (jumpedTo !== undefined && continuesJump(s, jumpedTo, from))) {
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
