/**
 * A 4004 while the shard holds a session: the token was revoked, not the session. The shard
 * refreshes the token and resumes once; a refusal of that resume (4004 again, op 9) identifies;
 * authentication failures after it count towards maxAuthFailures as before.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REFRESHED_RESUMES, type AttemptEnd, type AttemptFacts } from '../src/shard/recovery.js';
import { qqPlanner } from './support/planner.js';

type End = Exclude<AttemptEnd, { reason: 'stopped' }>;
const authFailed: End = { reason: 'closed', code: 4004, message: '' };
const resumeRefused: AttemptFacts = {
  mode: 'resume',
  resumeSent: true,
  identifySent: false,
  reachedReady: false,
};
const identifyRefused: AttemptFacts = {
  mode: 'identify',
  resumeSent: false,
  identifySent: true,
  reachedReady: false,
};

/** Plans `end` of `attempt` on `planner` and counts the reconnect, as the shard's loop does. */
function step(planner: ReturnType<typeof qqPlanner>, end: End, attempt: AttemptFacts, hasSession: boolean) {
  planner.ended(end, 0);
  const plan = planner.plan(end, attempt, hasSession, 0);
  if (plan.action === 'reconnect') planner.delayFor(plan);
  return plan;
}

describe('4004 with a session held', () => {
  it('refreshes the token and resumes once, then identifies, then gives up (maxAuthFailures 2)', () => {
    expect(MAX_REFRESHED_RESUMES).toBe(1);
    const planner = qqPlanner();
    expect(step(planner, authFailed, resumeRefused, true)).toMatchObject({
      action: 'reconnect',
      mode: 'resume',
      refreshToken: true,
      dropSession: false,
      why: 'closed with 4004 (authentication failed); refreshing the token and resuming',
    });
    expect(step(planner, authFailed, resumeRefused, true)).toMatchObject({
      action: 'reconnect',
      mode: 'identify',
      refreshToken: true,
      dropSession: true,
      why: 'closed with 4004 (authentication failed) after a resume with a fresh token; identifying',
    });
    expect(step(planner, authFailed, identifyRefused, false)).toMatchObject({
      action: 'fatal',
      code: 4004,
      meaning: 'authentication failed, 2 times in a row',
    });
  });

  it('identifies when the platform answers the resume with the fresh token with op 9', () => {
    const planner = qqPlanner();
    step(planner, authFailed, resumeRefused, true);
    expect(step(planner, { reason: 'invalidSession', resumable: false }, resumeRefused, true)).toMatchObject({
      action: 'reconnect',
      mode: 'identify',
      dropSession: true,
    });
  });

  it('a connection ready again in between allows one more refreshed resume: one a revocation', () => {
    const planner = qqPlanner();
    for (let revocation = 0; revocation < 3; revocation++) {
      expect(step(planner, authFailed, resumeRefused, true)).toMatchObject({
        mode: 'resume',
        refreshToken: true,
      });
      planner.ready(revocation * 100_000);
    }
  });

  it('a 4004 closing a ready connection resumes with a fresh token too', () => {
    const planner = qqPlanner();
    planner.ready(0);
    const ready: AttemptFacts = {
      mode: 'identify',
      resumeSent: false,
      identifySent: true,
      reachedReady: true,
    };
    expect(step(planner, authFailed, ready, true)).toMatchObject({ mode: 'resume', refreshToken: true });
  });

  it('without a session, refreshes the token and identifies, fatal the second time in a row', () => {
    const planner = qqPlanner();
    expect(step(planner, authFailed, identifyRefused, false)).toMatchObject({
      mode: 'identify',
      refreshToken: true,
    });
    expect(step(planner, authFailed, identifyRefused, false)).toMatchObject({ action: 'fatal', code: 4004 });
  });
});
