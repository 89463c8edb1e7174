/**
 * After a 4004 the shard resumes once with a fresh token; op 9 answering that resume read only
 * "invalid session (op 9)", so the client's SessionReplacedError took it for a long absence. Each
 * plan that identifies now names why the session ended as a kind (`ending`), which the close
 * event carries, and the reason text names the fresh-token resume.
 */
import { describe, expect, it } from 'vitest';
import type { AttemptEnd, AttemptFacts, Recovery } from '../src/shard/recovery.js';
import { qqPlanner } from './support/planner.js';

type End = Exclude<AttemptEnd, { reason: 'stopped' }>;
const resumeRefused: AttemptFacts = {
  mode: 'resume',
  resumeSent: true,
  identifySent: false,
  reachedReady: false,
};

/** Plans each end in turn on one planner, counting each reconnect; returns the last plan. */
function planAll(...ends: End[]): Recovery {
  const planner = qqPlanner();
  let plan: Recovery | undefined;
  for (const end of ends) {
    planner.ended(end, 0);
    plan = planner.plan(end, resumeRefused, true, 0);
    if (plan.action === 'reconnect') planner.delayFor(plan);
  }
  return plan!;
}

const closed = (code: number): End => ({ reason: 'closed', code, message: '' });

describe('plans that end a session say why, as a kind', () => {
  it('op 9 answering the resume with a fresh token after 4004', () => {
    const plan = planAll(closed(4004), { reason: 'invalidSession', resumable: false });
    expect(plan).toMatchObject({
      action: 'reconnect',
      mode: 'identify',
      ending: 'refreshedResumeInvalidated',
    });
    expect(plan.action === 'reconnect' && plan.why).toMatch(/fresh token after 4004/);
  });

  it.each([
    ['op 9 on a resume', [{ reason: 'invalidSession', resumable: false }], 'invalidSession'],
    ['4004 to the resume with a fresh token', [closed(4004), closed(4004)], 'tokenRefused'],
    ['4902', [closed(4902)], 'closed'],
    ['4006', [closed(4006)], 'closed'],
    [
      'two resumes unanswered for 40040 ms',
      [
        { reason: 'sessionUnanswered', frame: 'resume', afterMs: 40_040 },
        { reason: 'sessionUnanswered', frame: 'resume', afterMs: 40_040 },
      ],
      'resumeUnanswered',
    ],
    ['a resume cut by 4009 before its answer', [closed(4009)], 'resumeFailed'],
  ] as const)('%s', (_, ends, ending) => {
    expect(planAll(...ends)).toMatchObject({ action: 'reconnect', mode: 'identify', ending });
  });
});
