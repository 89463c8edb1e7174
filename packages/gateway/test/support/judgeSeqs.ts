import { SequenceCheck, type SeqVerdict } from '../../src/shard/SequenceCheck.js';

/**
 * Judges `seqs` of one connection after READY (seq 1) in order as the shard does: the resume
 * point moves only on `next`. Returns each verdict and the resume point after the last.
 */
export function judgeAll(seqs: number[]): { verdicts: SeqVerdict[]; last: number } {
  const check = new SequenceCheck();
  let last = 1;
  const verdicts = seqs.map((s) => {
    const verdict = check.judge(s, last, false);
    if (verdict === 'next') last = s;
    return verdict;
  });
  return { verdicts, last };
}
