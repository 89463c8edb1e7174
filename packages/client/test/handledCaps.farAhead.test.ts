import { describe, expect, it } from 'vitest';
import type { GatewayPayload } from '@bot/core';
import { HandledCaps } from '../src/dispatch/HandledCaps.js';

// The shard delivers an event numbered more than SEQ_STEP_LIMIT past its resume point without
// moving that point, and numbers the events after it on from there. The handled cap took the
// oldest unfinished event's seq - 1: while such an event was handled, the events waiting behind it
// counted as handled, and a session store written then lost them to a crash.

const MAX = Number.MAX_SAFE_INTEGER;
const event = (s: unknown): GatewayPayload =>
  ({ op: 0, s, t: 'GROUP_AT_MESSAGE_CREATE', d: {} }) as GatewayPayload;
const ready = (s: number): GatewayPayload =>
  ({ op: 0, s, t: 'READY', d: { session_id: 'S' } }) as GatewayPayload;

/**
 * Each row: a name, the seqs arriving after READY (seq 1; `undefined` for none, as after a resume
 * in a new process), and for each arrival the cap while it is the oldest unfinished event.
 */
type Row = [name: string, readySeq: number | undefined, seqs: number[], caps: number[]];

describe('HandledCaps with events numbered far ahead', () => {
  it.each<Row>([
    ['a live session', 1, [2, 3, 4], [1, 2, 3]],
    ['2^53 - 1 after seq 10, then 11 and 12', 1, [9, 10, MAX, 11, 12], [8, 9, 10, 10, 11]],
    // The jump is forgotten once a plausible seq comes: a second far one is held too.
    [
      'a far seq, a plausible one, then the far one continued',
      1,
      [10, 9_000, 11, 9_005, 12],
      [9, 10, 10, 11, 11],
    ],
    ['a seq just within the limit after READY', 1, [1_001, 1_002], [1_000, 1_001]],
    ['a seq just past the limit after READY', 1, [1_002, 2], [1, 1]],
    // Without a READY the position is unknown: the first event is taken at its word, as before.
    [
      'a resumed session in a new process',
      undefined,
      [5_000, 5_001, MAX, 5_002],
      [4_999, 5_000, 5_001, 5_001],
    ],
    // Every step past the limit: each is held to the position before it until the lane drains.
    ['a platform stepping by more than the limit', 1, [1_002, 2_003, 3_004], [1, 1, 1]],
  ])('%s', (_name, readySeq, seqs, caps) => {
    const handled = new HandledCaps();
    let arrival = 0;
    if (readySeq !== undefined) {
      handled.arrived(0, arrival, ready(readySeq));
      handled.sessionStarted(0, arrival, ready(readySeq));
      arrival++;
    }
    const first = arrival;
    for (const seq of seqs) handled.arrived(0, arrival++, event(seq));
    const seen = seqs.map((seq, index) => handled.capOf(0, { arrival: first + index, seq }, undefined));
    expect(seen).toEqual(caps);
  });

  it('holds the cap at the position before a far event asked about again and again', () => {
    const handled = new HandledCaps();
    handled.arrived(0, 0, ready(1));
    handled.sessionStarted(0, 0, ready(1));
    handled.arrived(0, 1, event(2));
    handled.arrived(0, 2, event(MAX));
    handled.arrived(0, 3, event(3));
    expect(handled.capOf(0, { arrival: 1, seq: 2 }, undefined)).toBe(1);
    for (let i = 0; i < 3; i++) expect(handled.capOf(0, { arrival: 2, seq: MAX }, undefined)).toBe(2);
    expect(handled.capOf(0, { arrival: 3, seq: 3 }, undefined)).toBe(2);
    expect(handled.capOf(0, { arrival: undefined, seq: undefined }, undefined)).toBeUndefined();
  });
});
