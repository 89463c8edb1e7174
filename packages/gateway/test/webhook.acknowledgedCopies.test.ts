import { describe, expect, it } from 'vitest';
import { AcknowledgedCopies } from '../src/webhook/AcknowledgedCopies.js';

const body = Buffer.from('{"op":0,"t":"MESSAGE_REACTION_ADD","d":{}}');
/** A signing second, and the receiver's clock at it. */
const STAMP = 1_800_000_000;
const AT = STAMP * 1000;

describe('AcknowledgedCopies', () => {
  it('keys on the timestamp and the body together', () => {
    const key = AcknowledgedCopies.keyOf(String(STAMP), body);
    expect(AcknowledgedCopies.keyOf(String(STAMP), body)).toBe(key);
    expect(AcknowledgedCopies.keyOf(String(STAMP + 1), body)).not.toBe(key);
    expect(AcknowledgedCopies.keyOf(String(STAMP), Buffer.concat([body, Buffer.from(' ')]))).not.toBe(key);
  });

  it('holds a message for as long as a copy passes the timestamp check, then forgets it', () => {
    const copies = new AcknowledgedCopies(10, 300);
    const key = AcknowledgedCopies.keyOf(String(STAMP), body);
    expect(copies.has(key, AT)).toBe(false);
    copies.acknowledged(key, STAMP, AT);
    expect(copies.has(key, AT + 300_000)).toBe(true);
    expect(copies.has(key, AT + 300_001)).toBe(false);
    // The next acknowledgement after that sweeps it out.
    copies.acknowledged('other', STAMP + 301, AT + 301_000);
    expect(copies.size).toBe(1);
  });

  it('does not keep a message that can no longer arrive again', () => {
    const copies = new AcknowledgedCopies(10, 300);
    copies.acknowledged('late', STAMP, AT + 300_001);
    expect(copies.size).toBe(0);
  });

  it('keeps at most its capacity, forgetting the oldest first', () => {
    const copies = new AcknowledgedCopies(3, 300);
    for (let i = 0; i < 5; i++) copies.acknowledged(`key${i}`, STAMP, AT);
    expect(copies.size).toBe(3);
    expect(['key0', 'key1', 'key2', 'key3', 'key4'].map((key) => copies.has(key, AT))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('counts a message acknowledged again as the newest', () => {
    const copies = new AcknowledgedCopies(2, 300);
    copies.acknowledged('a', STAMP, AT);
    copies.acknowledged('b', STAMP, AT);
    copies.acknowledged('a', STAMP, AT);
    copies.acknowledged('c', STAMP, AT);
    expect(['a', 'b', 'c'].map((key) => copies.has(key, AT))).toEqual([true, false, true]);
  });
});
