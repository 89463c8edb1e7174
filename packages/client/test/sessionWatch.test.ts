import { describe, expect, it } from 'vitest';
import type { ShardCloseEvent, ShardManager, ShardStatus } from '@bot/gateway';
import { SessionWatch } from '../src/client/clientParts.js';
import type { SessionReplacedError } from '../src/errors/SessionReplacedError.js';

// SessionWatch brings a session lost without a resume to error(): it must name the session and the
// seq the shard itself holds, and catch every way a session is replaced.

/** A manager of one shard whose status the test sets. */
function oneShard(): { manager: ShardManager; status: Partial<ShardStatus> } {
  const status: Partial<ShardStatus> = { sessionId: undefined, seq: null };
  const shard = { status: () => status as ShardStatus };
  return { manager: { shards: new Map([[0, shard]]) } as unknown as ShardManager, status };
}

function watched(): {
  watch: SessionWatch;
  status: Partial<ShardStatus>;
  reports: SessionReplacedError[];
} {
  const { manager, status } = oneShard();
  const reports: SessionReplacedError[] = [];
  return { watch: new SessionWatch(manager, (error) => void reports.push(error)), status, reports };
}

const toIdentify = { next: 'identify', reason: 'invalid session (op 9)' } as ShardCloseEvent;

describe('SessionWatch', () => {
  it('names the seq the shard holds, not a far-ahead or invalid one a dispatch carried', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 's1', seq: 1 });
    watch.state('ready', 0);
    watch.received(0, 2);
    Object.assign(status, { seq: 2 });
    watch.received(0, Number.MAX_SAFE_INTEGER); // delivered, but the shard kept its resume point
    watch.received(0, -7);
    watch.closed(toIdentify, 0);
    expect(reports.map((error) => [error.sessionId, error.seq])).toEqual([['s1', 2]]);
  });

  it('names the shard status seq where no dispatch reached this thread (handlers on worker threads)', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 's1', seq: 1 });
    watch.state('ready', 0);
    Object.assign(status, { seq: 4 });
    watch.closed(toIdentify, 0);
    expect(reports.map((error) => error.seq)).toEqual([4]);
  });

  it('reports a session a READY replaced while resuming, with no close that identifies', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 'old', seq: 4 });
    watch.state('ready', 0);
    watch.received(0, 4);
    watch.state('resuming', 0);
    Object.assign(status, { sessionId: 'new', seq: 1 });
    watch.state('ready', 0);
    expect(reports.map((error) => [error.sessionId, error.seq])).toEqual([['old', 4]]);
    // The new session is watched from here on, and reported once when it goes.
    watch.closed(toIdentify, 0);
    expect(reports.map((error) => error.sessionId)).toEqual(['old', 'new']);
  });
});
