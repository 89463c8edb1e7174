import { describe, expect, it } from 'vitest';
import { SEQ_STEP_LIMIT, SequenceCheck, type SeqVerdict } from '../src/shard/SequenceCheck.js';

/** Each row: the seq, the last one read, whether a replay runs, and the verdict. */
type Row = [s: number, last: number | null, replaying: boolean, verdict: SeqVerdict];

describe('SequenceCheck', () => {
  it.each<Row>([
    [1, null, false, 'next'],
    [5, 4, false, 'next'],
    [4 + SEQ_STEP_LIMIT, 4, false, 'next'],
    [5 + SEQ_STEP_LIMIT, 4, false, 'farAhead'],
    [SEQ_STEP_LIMIT + 1, null, false, 'farAhead'],
    [4, 4, true, 'repeat'],
    [1, 4, true, 'repeat'],
    [4, 4, false, 'behind'],
    [1, 4, false, 'behind'],
    [Number.MAX_SAFE_INTEGER, 4, true, 'farAhead'],
  ])('seq %i after %s (replaying: %s) is %s', (s, last, replaying, verdict) => {
    expect(new SequenceCheck().judge(s, last, replaying)).toBe(verdict);
  });

  it('takes a far jump once the next seq is above it, and only then', () => {
    const check = new SequenceCheck();
    expect(check.judge(9_000, 1, false)).toBe('farAhead');
    expect(check.judge(9_001, 1, false)).toBe('next');

    const hostile = new SequenceCheck();
    expect(hostile.judge(9_000, 1, false)).toBe('farAhead');
    expect(hostile.judge(2, 1, false)).toBe('next');
    // A plausible seq in between forgets the jump: continuing from it no longer counts.
    expect(hostile.judge(9_001, 2, false)).toBe('farAhead');
    // Nor does one back below it.
    expect(hostile.judge(8_999, 2, false)).toBe('farAhead');
  });
});
