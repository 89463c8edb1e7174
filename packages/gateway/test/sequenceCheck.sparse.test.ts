import { describe, expect, it } from 'vitest';
import { SEQ_STEP_LIMIT, type SeqVerdict } from '../src/shard/SequenceCheck.js';
import { judgeAll } from './support/judgeSeqs.js';

/** Each row: a name, the seqs of one connection after READY (seq 1), and each one's verdict. */
type Row = [name: string, seqs: number[], verdicts: SeqVerdict[]];

const MAX = Number.MAX_SAFE_INTEGER;
const STEP = SEQ_STEP_LIMIT + 1;

describe('SequenceCheck over a sequence of seqs', () => {
  it.each<Row>([
    // A platform that always steps by more than the limit: each doubted seq is taken with the
    // next one, so the resume point trails by one event at most, never back at READY.
    [
      'steps always past the limit',
      [1 + STEP, 1 + 2 * STEP, 1 + 3 * STEP, 1 + 4 * STEP],
      ['farAhead', 'next', 'farAhead', 'next'],
    ],
    // A step far larger than the jump does not continue it; the seq right after it does.
    ['a jump then a step past the limit', [5_000, 50_000, 50_001], ['farAhead', 'farAhead', 'next']],
    ['a jump then a step within the limit', [9_000, 9_001], ['farAhead', 'next']],
    // 2^53 - 1 followed by the normal numbering never becomes the resume point.
    ['2^53 - 1 then normal seqs', [MAX, 2, 3], ['farAhead', 'next', 'next']],
    ['a jump, a normal seq, then the jump continued', [9_000, 2, 9_001], ['farAhead', 'next', 'farAhead']],
    ['a jump then one below it', [9_000, 8_999], ['farAhead', 'farAhead']],
  ])('%s', (_name, seqs, verdicts) => {
    expect(judgeAll(seqs).verdicts).toEqual(verdicts);
  });

  it('moves the resume point along a platform stepping by more than the limit', () => {
    const seqs = Array.from({ length: 7 }, (_, i) => 1 + (i + 1) * STEP);
    // One event behind the last read at most.
    expect(judgeAll(seqs).last).toBe(seqs.at(-2));
    expect(judgeAll(seqs.slice(0, 6)).last).toBe(seqs[5]);
  });
});
