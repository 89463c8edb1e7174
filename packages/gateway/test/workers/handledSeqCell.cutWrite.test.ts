import { describe, expect, it } from 'vitest';
import { HandledSeqCell } from '../../src/workers/HandledSeqCell.js';

describe('HandledSeqCell after a writer was stopped mid-write', () => {
  it("a later writer's session is read again (the version a cut begin left odd does not stay odd)", () => {
    const main = new HandledSeqCell();
    const first = new HandledSeqCell(main.buffer);
    first.begin('a', 4);
    // The first thread ended between the halves of its next begin: the version is left odd.
    Atomics.add(new Int32Array(main.buffer, 0, 1), 0, 1);
    expect(main.read()).toBeUndefined();
    // The next thread gets the same cell and begins its session there.
    const next = new HandledSeqCell(main.buffer);
    next.begin('b', 7);
    expect(main.read()).toEqual({ sessionId: 'b', seq: 7 });
    next.advance(8);
    expect(main.read()).toEqual({ sessionId: 'b', seq: 8 });
    next.begin('c', 1);
    expect(main.read()).toEqual({ sessionId: 'c', seq: 1 });
  });
});
