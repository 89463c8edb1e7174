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
 * Judges the seq of each dispatch of one connection against the session's position. A far jump
 * is taken after all when the next seq continues from it (within {@link SEQ_STEP_LIMIT}): then
 * the session did move on there (numbers skipped upstream), and refusing every later seq would
 * freeze the resume point for good.
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
    if (jumpedTo !== undefined && s > jumpedTo && s - jumpedTo <= SEQ_STEP_LIMIT) {
      this.#jumpedTo = undefined;
      return 'next';
    }
    this.#jumpedTo = s;
    return 'farAhead';
  }
}
