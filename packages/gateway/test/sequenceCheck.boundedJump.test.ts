import { describe, expect, it } from 'vitest';
import { SEQ_JUMP_LIMIT, SEQ_STEP_LIMIT, type SeqVerdict } from '../src/shard/SequenceCheck.js';
import { judgeAll } from './support/judgeSeqs.js';

/** Each row: a name, the seqs of one connection after READY (seq 1), each verdict, and the resume point after. */
type Row = [name: string, seqs: number[], verdicts: SeqVerdict[], last: number];

const MAX = Number.MAX_SAFE_INTEGER;

/** Seqs stepping by 1,000 to 5,000, spread over that range. */
function randomSteps(count: number): number[] {
  let s = 1;
  return Array.from({ length: count }, (_, i) => (s += 1_000 + ((i * 7_919) % 4_000)));
}

describe('SequenceCheck takes a continued jump only when its step is like the jump', () => {
  it.each<Row>([
    // A broken server: a second far seq much further than the first must not become the resume point.
    [
      '5000 then 2^53 - 1, then normal seqs',
      [5_000, MAX, 2, 3, 4],
      ['farAhead', 'farAhead', 'next', 'next', 'next'],
      4,
    ],
    ['123456789 then 2^53 - 1', [123_456_789, MAX, 2], ['farAhead', 'farAhead', 'next'], 2],
    // However alike the steps, a continued jump takes the resume point at most SEQ_JUMP_LIMIT on.
    ['2^52 then 2^53 - 1 (a step like the jump)', [2 ** 52, MAX, 2], ['farAhead', 'farAhead', 'next'], 2],
    ['2^53 - 2 then 2^53 - 1 (a step of 1)', [MAX - 1, MAX, 2], ['farAhead', 'farAhead', 'next'], 2],
    [
      'a continued jump to SEQ_JUMP_LIMIT past the resume point',
      [1 + SEQ_JUMP_LIMIT / 2, 1 + SEQ_JUMP_LIMIT],
      ['farAhead', 'next'],
      1 + SEQ_JUMP_LIMIT,
    ],
    [
      'a continued jump to one past that',
      [2 + SEQ_JUMP_LIMIT / 2, 2 + SEQ_JUMP_LIMIT],
      ['farAhead', 'farAhead'],
      1,
    ],
    // The far step is doubted in turn; the seq right after it continues it.
    [
      '5000 then 50000 (a step nine times the jump)',
      [5_000, 50_000, 50_001],
      ['farAhead', 'farAhead', 'next'],
      50_001,
    ],
    // A step about the size of the jump (or within the limit) still continues it.
    ['5000 then 9000', [5_000, 9_000, 9_001], ['farAhead', 'next', 'next'], 9_001],
    ['5000 then 5999 (within the limit of the jump)', [5_000, 5_999], ['farAhead', 'next'], 5_999],
    [
      'steps of limit + 1',
      [1, 2, 3, 4].map((i) => 1 + i * (SEQ_STEP_LIMIT + 1)),
      ['farAhead', 'next', 'farAhead', 'next'],
      1 + 4 * (SEQ_STEP_LIMIT + 1),
    ],
  ])('%s', (_name, seqs, verdicts, last) => {
    expect(judgeAll(seqs)).toEqual({ verdicts, last });
  });

  it('advances along steps of 1,000 to 5,000', () => {
    const seqs = randomSteps(12);
    const { verdicts, last } = judgeAll(seqs);
    // Every other seq is taken: the resume point trails by one event at most.
    expect(verdicts.filter((v) => v === 'next').length).toBeGreaterThanOrEqual(6);
    expect(last).toBeGreaterThanOrEqual(seqs.at(-2)!);
  });
});
