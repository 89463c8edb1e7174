import { describe, expect, it } from 'vitest';
import type { ShardCloseEvent, ShardManager, ShardStatus } from '@bot/gateway';
import { SessionWatch } from '../src/client/clientParts.js';
import type { SessionReplacedError } from '../src/errors/SessionReplacedError.js';

// On op 9 the shard clears its position before it emits 'close', so the SessionReplacedError names
// the seq SessionWatch followed itself. It must judge seqs as the shard does: a platform stepping by
// more than 1,000 moves the shard's resume point every other event, and the error named seq 1.

const toIdentify = { next: 'identify', reason: 'invalid session (op 9)' } as ShardCloseEvent;

/** Feeds `seqs` after READY (seq 1) and returns the seq the error names once the session is cleared. */
function namedSeq(seqs: number[]): number | null | undefined {
  const status: Partial<ShardStatus> = { sessionId: 's1', seq: 1 };
  const manager = {
    shards: new Map([[0, { status: () => status as ShardStatus }]]),
  } as unknown as ShardManager;
  const reports: SessionReplacedError[] = [];
  const watch = new SessionWatch(manager, (error) => void reports.push(error));
  watch.state('ready', 0);
  for (const seq of seqs) watch.received(0, seq);
  Object.assign(status, { sessionId: undefined, seq: null });
  watch.closed(toIdentify, 0);
  return reports[0]?.seq;
}

describe('SessionWatch follows seqs as the shard does', () => {
  it.each<[name: string, seqs: number[], named: number]>([
    ['steps of 1,001: the shard holds 4005', [1_002, 2_003, 3_004, 4_005], 4_005],
    ['steps of 1,001, one doubted at the end: the shard holds 2003', [1_002, 2_003, 3_004], 2_003],
    ['5000 then 2^53 - 1 then normal seqs', [5_000, Number.MAX_SAFE_INTEGER, 2, 3], 3],
    ['a repeat after normal seqs is not taken', [2, 3, 2], 3],
  ])('%s', (_name, seqs, named) => {
    expect(namedSeq(seqs)).toBe(named);
  });
});
