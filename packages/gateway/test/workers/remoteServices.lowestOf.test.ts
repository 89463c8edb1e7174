import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowestOf, type AcknowledgeableSeq } from '../../src/workers/remoteServices.js';

describe("lowestOf: how far a thread's shard may acknowledge, given each authority's cap", () => {
  it('without caps gives none: the shard acknowledges what it read', () => {
    expect(lowestOf([])).toBeUndefined();
  });

  it('is the lowest cap, and nothing while any cap allows nothing yet', () => {
    const caps = fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(caps, (seqs) => {
        const asked: Array<[number, string]> = [];
        const of = seqs.map((seq): AcknowledgeableSeq => (shardId, sessionId) => {
          asked.push([shardId, sessionId]);
          return seq;
        });
        const expected = seqs.includes(undefined) ? undefined : Math.min(...(seqs as number[]));
        expect(lowestOf(of)?.(3, 'session')).toBe(expected);
        // Each cap is asked about the shard and session in question.
        expect(asked.every(([shardId, sessionId]) => shardId === 3 && sessionId === 'session')).toBe(true);
      }),
    );
  });
});
