import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ShardStatus } from '@bot/gateway';
import { StatusMirror } from '../../src/workers/StatusMirror.js';

/** What the thread does: a new session (READY), a dispatch crossing, or a state change reported with a snapshot. */
type Step = { kind: 'newSession' } | { kind: 'dispatch'; count: number } | { kind: 'snapshot' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'newSession' }),
  fc.record({ kind: fc.constant('dispatch' as const), count: fc.integer({ min: 1, max: 600 }) }),
  fc.constant<Step>({ kind: 'snapshot' }),
);

function snapshot(sessionId: string | undefined, seq: number | null): ShardStatus {
  return {
    id: 0,
    total: 1,
    state: 'ready',
    latency: undefined,
    seq,
    sessionId,
    reconnects: 0,
    attempt: 0,
    lastCloseCode: undefined,
    paused: false,
  };
}

describe('StatusMirror', () => {
  it('a new session resumes from its own sequence number, never one of an earlier session (after A@500, B@40 stays B@40)', () => {
    const mirror = new StatusMirror(0, 1);
    mirror.report(snapshot('A', 1));
    mirror.sawSeq(500);
    mirror.report(snapshot('B', 40));
    expect(mirror.session).toEqual({ sessionId: 'B', seq: 40, shardCount: 1 });
  });

  it('the session to resume is always the latest one, at the highest sequence number of that session seen here', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const mirror = new StatusMirror(0, 1);
        let session = 0;
        let seq: number | null = null; // the thread's, of the current session
        let seen: number | null = null; // the highest of the current session that crossed
        let reported = false; // the current session was reported in a snapshot
        for (const each of steps) {
          if (each.kind === 'newSession') {
            session += 1;
            seq = null;
            seen = null;
            reported = false;
          } else if (each.kind === 'dispatch') {
            for (let i = 0; i < each.count; i += 1) {
              seq = (seq ?? 0) + 1;
              if (reported) {
                mirror.sawSeq(seq);
                seen = seq;
              }
            }
          } else {
            const id = session === 0 ? undefined : `session-${session}`;
            mirror.report(snapshot(id, seq));
            seen = seq;
            reported = id !== undefined;
          }
          if (reported && seen !== null) {
            expect(mirror.session).toEqual({ sessionId: `session-${session}`, seq: seen, shardCount: 1 });
          }
        }
      }),
    );
  });
});
