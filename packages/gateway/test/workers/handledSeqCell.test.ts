import { describe, expect, it } from 'vitest';
import { HandledSeqCell } from '../../src/workers/HandledSeqCell.js';

describe('HandledSeqCell: how far a thread handled a session, read by the main thread', () => {
  it('tells nothing before a session is begun', () => {
    expect(new HandledSeqCell().read()).toBeUndefined();
  });

  it('tells the session last begun and the last seq written, through a view of the same memory', () => {
    const main = new HandledSeqCell();
    const thread = new HandledSeqCell(main.buffer);
    thread.begin('session-a', 4);
    thread.advance(9);
    expect(main.read()).toEqual({ sessionId: 'session-a', seq: 9 });
    thread.begin('b', 1);
    expect(main.read()).toEqual({ sessionId: 'b', seq: 1 });
    // A view made later (the next thread's) keeps what an earlier one wrote.
    expect(new HandledSeqCell(main.buffer).read()).toEqual({ sessionId: 'b', seq: 1 });
  });

  it('holds any safe seq, past 32 bits', () => {
    const cell = new HandledSeqCell();
    cell.begin('s', 0);
    cell.advance(Number.MAX_SAFE_INTEGER);
    expect(cell.read()?.seq).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('tells of a session whose id it cannot hold only that it was too long, and nothing of one cut mid-write', () => {
    const cell = new HandledSeqCell();
    cell.begin('x'.repeat(121), 5);
    expect(cell.read()).toEqual({ sessionId: undefined, seq: 5 });
    cell.begin('y'.repeat(120), 5);
    expect(cell.read()).toEqual({ sessionId: 'y'.repeat(120), seq: 5 });
    // A thread stopped between the two halves of a begin: the version is left odd.
    Atomics.add(new Int32Array(cell.buffer, 0, 1), 0, 1);
    expect(cell.read()).toBeUndefined();
  });

  it('write() begins a session only when it is new to the writer', () => {
    const writer = new HandledSeqCell();
    const version = (): number => Atomics.load(new Int32Array(writer.buffer, 0, 1), 0);
    writer.write('a', 1);
    const begun = version();
    writer.write('a', 7);
    expect(version()).toBe(begun);
    expect(writer.read()).toEqual({ sessionId: 'a', seq: 7 });
    writer.write('b', 2);
    expect(version()).toBe(begun + 2);
    expect(writer.read()).toEqual({ sessionId: 'b', seq: 2 });
  });

  it('takes only memory of a cell’s size as a cell', () => {
    expect(HandledSeqCell.fits(new HandledSeqCell().buffer)).toBe(true);
    expect(HandledSeqCell.fits(new SharedArrayBuffer(8))).toBe(false);
    expect(HandledSeqCell.fits(new ArrayBuffer(256))).toBe(false);
    expect(HandledSeqCell.fits(undefined)).toBe(false);
  });
});
