import { describe, expect, it } from 'vitest';
import { MAX_ANCHORS, ReplyLedger } from '../src/rest/rules/ReplyLedger.js';

const MINUTE = 60_000;

describe('ReplyLedger bounds', () => {
  it('forgets an anchor a window after its own closed, telling a late reply "expired" until then', () => {
    const ledger = new ReplyLedger();
    const start = 1_000_000;
    ledger.register('old', 'msg', 'group', 'g1', start);
    ledger.register('chat', 'msg', 'c2c', 'u1', start);
    // 7 minutes on: the group window (5 min) closed, but not 5 more minutes ago.
    ledger.register('newer', 'msg', 'group', 'g1', start + 7 * MINUTE);
    expect(ledger.authorize({ scene: 'group', target: 'g1', msgId: 'old' }, start + 7 * MINUTE)).toBe(
      'expired-msg',
    );
    expect(ledger.size).toBe(3);
    // 11 minutes on: the group anchor is forgotten; the C2C one (60 min window) stays.
    ledger.register('newest', 'msg', 'group', 'g1', start + 11 * MINUTE);
    expect(ledger.authorize({ scene: 'group', target: 'g1', msgId: 'old' }, start + 11 * MINUTE)).toBe(
      'unknown-msg',
    );
    expect(
      ledger.authorize({ scene: 'c2c', target: 'u1', msgId: 'chat' }, start + 11 * MINUTE),
    ).toBeUndefined();
  });

  it('holds at most MAX_ANCHORS, dropping the oldest, even within their windows', () => {
    const ledger = new ReplyLedger();
    const at = 5_000_000;
    for (let n = 0; n < MAX_ANCHORS + 10; n++) ledger.register(`m${n}`, 'msg', 'c2c', 'u1', at);
    expect(ledger.size).toBe(MAX_ANCHORS);
    expect(ledger.authorize({ scene: 'c2c', target: 'u1', msgId: 'm0' }, at)).toBe('unknown-msg');
    expect(
      ledger.authorize({ scene: 'c2c', target: 'u1', msgId: `m${MAX_ANCHORS + 9}` }, at),
    ).toBeUndefined();
  });
});
