import { describe, expect, it } from 'vitest';
import type { ShardCloseEvent, ShardManager, ShardStatus } from '@bot/gateway';
import { SessionWatch } from '../src/client/clientParts.js';
import type { SessionReplacedError } from '../src/errors/SessionReplacedError.js';

// SessionWatch brings a session lost without a resume to error(): it must name the session and the
// seq the shard itself held, and catch every way a session is replaced.

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

/** A close after which the shard identifies, naming the session it held, as a `Shard` emits it. */
function toIdentify(sessionId: string, seq: number | null): ShardCloseEvent {
  return {
    code: undefined,
    reason: 'invalid session (op 9)',
    next: 'identify',
    delayMs: 0,
    session: { sessionId, seq },
  };
}

/** The same from a shard handle that names no session (a strategy of the user's). */
const toIdentifyUnnamed = { next: 'identify', reason: 'invalid session (op 9)' } as ShardCloseEvent;

describe('SessionWatch', () => {
  it('names the seq the close event says the shard held, however the status moved since READY', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 's1', seq: 1 });
    watch.state('ready', 0);
    // A resume whose replay ended in a far jump, taken by the shard with the seq after RESUMED.
    Object.assign(status, { seq: 5 });
    watch.state('resuming', 0);
    watch.state('ready', 0);
    // On op 9 the shard forgets the session before it emits 'close'.
    Object.assign(status, { sessionId: undefined, seq: null });
    watch.closed(toIdentify('s1', 9_001), 0);
    expect(reports.map((error) => [error.sessionId, error.seq, error.why])).toEqual([
      ['s1', 9_001, 'invalid session (op 9)'],
    ]);
  });

  it('reports a session the close event names although no state named it here, once', () => {
    const { watch, reports } = watched();
    watch.closed(toIdentify('s1', null), 0);
    watch.closed({ ...toIdentify('s1', null), session: undefined } as unknown as ShardCloseEvent, 0);
    expect(reports.map((error) => [error.sessionId, error.seq])).toEqual([['s1', null]]);
  });

  it('reports nothing for a close that resumes, or one after which nothing named a session', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 's1', seq: 1 });
    watch.state('ready', 0);
    watch.closed({ ...toIdentify('s1', 4), next: 'resume' }, 0);
    watch.state('closed', 0);
    watch.closed(toIdentifyUnnamed, 0);
    expect(reports).toEqual([]);
  });

  it('falls back to the status, then the seq at the last state, for a close that names no session', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 's1', seq: 1 });
    watch.state('ready', 0);
    Object.assign(status, { seq: 4 });
    watch.closed(toIdentifyUnnamed, 0);
    Object.assign(status, { sessionId: 's2', seq: 1 });
    watch.state('ready', 0);
    Object.assign(status, { sessionId: undefined, seq: null });
    watch.closed(toIdentifyUnnamed, 0);
    expect(reports.map((error) => [error.sessionId, error.seq])).toEqual([
      ['s1', 4],
      ['s2', 1],
    ]);
  });

  it('reports a session a READY replaced while resuming, with no close that identifies', () => {
    const { watch, status, reports } = watched();
    Object.assign(status, { sessionId: 'old', seq: 4 });
    watch.state('ready', 0);
    watch.state('resuming', 0);
    Object.assign(status, { sessionId: 'new', seq: 1 });
    watch.state('ready', 0);
    expect(reports.map((error) => [error.sessionId, error.seq])).toEqual([['old', 4]]);
    // The new session is watched from here on, and reported once when it goes.
    watch.closed(toIdentify('new', 3), 0);
    expect(reports.map((error) => [error.sessionId, error.seq])).toEqual([
      ['old', 4],
      ['new', 3],
    ]);
  });
});
