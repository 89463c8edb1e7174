import { describe, expect, it } from 'vitest';
import { sessionInfoProblem } from '../src/session/sessionInfoProblem.js';

describe('a stored session that cannot be printed', () => {
  it('is named as malformed by its kind, without converting what the store gave', () => {
    const unprintable = { toString: 0, valueOf: 0 };
    expect(() => sessionInfoProblem({ sessionId: unprintable, seq: 1, shardCount: 1 })).not.toThrow();
    expect(sessionInfoProblem({ sessionId: unprintable, seq: 1, shardCount: 1 })).toMatch(
      /sessionId an object/,
    );
    expect(
      sessionInfoProblem({ sessionId: 's', seq: 'x'.repeat(10_000), shardCount: 1 })!.length,
    ).toBeLessThan(200);
  });
});
