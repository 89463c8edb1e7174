import { describe, expect, it } from 'vitest';
import { ApiError, findInCauses, MAX_CAUSE_DEPTH, platformCodeOf } from '../src/index.js';

// The one walk of a cause chain that every reader of wrapped errors shares (platformCodeOf, and a
// reader of whether a wrapped failure was sent), so that they agree on how deep they read and
// on where a cycle ends.

const refused = new ApiError({
  status: 400,
  code: 40034005,
  errCode: undefined,
  message: 'refused',
  traceId: undefined,
  method: 'POST',
  route: '/v2/groups/{group_openid}/messages',
});
const statusOf = (error: Error) => (error instanceof ApiError ? error.status : undefined);

describe('findInCauses', () => {
  it('gives the answer of the outermost error that has one, itself first', () => {
    expect(findInCauses(refused, statusOf)).toBe(400);
    expect(
      findInCauses(new Error('handler', { cause: new Error('reply', { cause: refused }) }), statusOf),
    ).toBe(400);
    const outer = new Error('outer');
    expect(
      findInCauses(new Error('w', { cause: outer }), (e) => (e.message === 'outer' ? 1 : undefined)),
    ).toBe(1);
  });

  it('reads each error once, and at most MAX_CAUSE_DEPTH of them: a cycle or a chain built in a loop ends', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    const read: string[] = [];
    expect(findInCauses(a, (e) => void read.push(e.message))).toBeUndefined();
    expect(read).toEqual(['a', 'b']);

    const layers = (n: number): unknown => {
      let deep: unknown = refused;
      for (let i = 0; i < n; i += 1) deep = new Error(`layer ${i}`, { cause: deep });
      return deep;
    };
    expect(MAX_CAUSE_DEPTH).toBe(8);
    expect(findInCauses(layers(MAX_CAUSE_DEPTH - 1), statusOf)).toBe(400);
    expect(findInCauses(layers(MAX_CAUSE_DEPTH), statusOf)).toBeUndefined();
    // platformCodeOf reads exactly as far.
    expect(platformCodeOf(layers(MAX_CAUSE_DEPTH - 1))).toBe(40034005);
    expect(platformCodeOf(layers(MAX_CAUSE_DEPTH))).toBeUndefined();
  });

  it('stops at a cause that is not an Error, and reads nothing of a value that is not one', () => {
    expect(findInCauses(new Error('x', { cause: { status: 400 } }), () => undefined)).toBeUndefined();
    expect(findInCauses('text', () => 1)).toBeUndefined();
    expect(findInCauses(undefined, () => 1)).toBeUndefined();
  });
});
