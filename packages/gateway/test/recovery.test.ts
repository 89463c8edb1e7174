import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { qqProtocol } from '@bot/gateway';
import { closeRuleLookup } from '../src/shard/closePolicy.js';
import { ReconnectPlanner } from '../src/shard/ReconnectPlanner.js';
import { MAX_UNANSWERED_RESUMES, planRecovery, type RecoveryInput } from '../src/shard/recovery.js';

/** Every way an attempt ends that the planner weighs (a stop is the shard's own business). */
type AttemptEnd = RecoveryInput['end'];

const ruleFor = closeRuleLookup(qqProtocol);

function input(end: RecoveryInput['end'], overrides: Partial<RecoveryInput> = {}): RecoveryInput {
  return {
    end,
    attempt: { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: true },
    hasSession: true,
    ruleFor,
    authFailures: 0,
    maxAuthFailures: 2,
    identifyRefusals: 0,
    sendWindowResetMs: 0,
    ...overrides,
  };
}

const closed = (code: number, extra: { connectError?: string } = {}): AttemptEnd => ({
  reason: 'closed',
  code,
  message: '',
  ...extra,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('planRecovery', () => {
  it.each([
    [closed(4009), 'resume'],
    [closed(1006), 'resume'],
    [closed(4100), 'resume'], // unlisted: the protocol's fallback
    [{ reason: 'zombie' }, 'resume'],
    [{ reason: 'helloTimeout' }, 'resume'],
    [{ reason: 'reconnectRequested' }, 'resume'],
    [closed(4006), 'identify'],
    [closed(4900), 'identify'],
  ] as [AttemptEnd, string][])('plans %j as a %s at once', (end, mode) => {
    const plan = planRecovery(input(end));
    expect(plan).toMatchObject({ action: 'reconnect', mode, minDelayMs: 0, refreshToken: false });
    expect(plan.action === 'reconnect' && plan.dropSession).toBe(mode === 'identify');
  });

  it.each([
    [closed(1006), 'closed with 1006 (connection lost without a close frame)'],
    [
      closed(1006, { connectError: 'connect ECONNREFUSED 127.0.0.1:9' }),
      'could not connect (connect ECONNREFUSED 127.0.0.1:9); the socket never opened',
    ],
  ] as [AttemptEnd, string][])('words %j as %j, resuming at once', (end, why) => {
    expect(planRecovery(input(end))).toMatchObject({
      action: 'reconnect',
      mode: 'resume',
      minDelayMs: 0,
      why,
    });
  });

  it.each([4001, 4002, 4010, 4011, 4012, 4013, 4014, 4914, 4915])('gives up on close %i', (code) => {
    expect(planRecovery(input(closed(code)))).toMatchObject({ action: 'fatal', code });
  });

  it('waits 1–5 s after an invalid session, resuming only when the server says it may', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(planRecovery(input({ reason: 'invalidSession', resumable: true }))).toMatchObject({
      mode: 'resume',
      minDelayMs: 3_000,
    });
    expect(planRecovery(input({ reason: 'invalidSession', resumable: false }))).toMatchObject({
      mode: 'identify',
      minDelayMs: 3_000,
      dropSession: true,
    });
  });

  it('retries an identify refused with op 9 once, after 1–5 s, then gives up naming the refusals', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const refusedIdentify = {
      mode: 'identify',
      resumeSent: false,
      identifySent: true,
      reachedReady: false,
    } as const;
    const refused = { reason: 'invalidSession', resumable: false } as const;
    expect(planRecovery(input(refused, { attempt: refusedIdentify, identifyRefusals: 0 }))).toMatchObject({
      action: 'reconnect',
      mode: 'identify',
      minDelayMs: 1_000,
      identifyRefused: true,
    });
    expect(planRecovery(input(refused, { attempt: refusedIdentify, identifyRefusals: 1 }))).toMatchObject({
      action: 'fatal',
      code: 4014,
      identifyRefusals: 2,
    });
    // Op 9 on an established session is the platform dropping it, not refusing the identify.
    expect(
      planRecovery(
        input(refused, { attempt: { ...refusedIdentify, reachedReady: true }, identifyRefusals: 1 }),
      ),
    ).toMatchObject({ action: 'reconnect', identifyRefused: false });
  });

  it('waits for the send window after 4008, at least 1 s', () => {
    expect(planRecovery(input(closed(4008), { sendWindowResetMs: 12_000 }))).toMatchObject({
      mode: 'resume',
      minDelayMs: 12_000,
    });
    expect(planRecovery(input(closed(4008), { sendWindowResetMs: 0 }))).toMatchObject({ minDelayMs: 1_000 });
  });

  it('refreshes the token after 4004, and gives up when that happens maxAuthFailures times in a row', () => {
    // Without a session; with one it resumes first (recovery.revokedToken.test).
    const identifying = {
      hasSession: false,
      attempt: { mode: 'identify', resumeSent: false, identifySent: true, reachedReady: false },
    } as const;
    expect(planRecovery(input(closed(4004), { authFailures: 0, ...identifying }))).toMatchObject({
      action: 'reconnect',
      mode: 'identify',
      refreshToken: true,
    });
    expect(planRecovery(input(closed(4004), { authFailures: 1, ...identifying }))).toMatchObject({
      action: 'fatal',
      code: 4004,
      meaning: 'authentication failed, 2 times in a row',
    });
  });

  it('gives up when the token source refuses the credentials, retries when it only failed', () => {
    const error = new Error('nope');
    expect(
      planRecovery(input({ reason: 'setupFailed', error, step: 'accessToken', authentication: true })),
    ).toMatchObject({
      action: 'fatal',
      code: 4004,
      cause: error,
    });
    expect(
      planRecovery(
        input(
          { reason: 'setupFailed', error, step: 'identifyTurn', authentication: false },
          { attempt: { mode: 'identify', resumeSent: false, identifySent: false, reachedReady: false } },
        ),
      ),
    ).toMatchObject({ action: 'reconnect', mode: 'identify' });
  });

  it('resets the back-off only for a restart the user asked for', () => {
    expect(planRecovery(input({ reason: 'restart' }))).toMatchObject({ mode: 'resume', resetBackoff: true });
    expect(planRecovery(input(closed(4009)))).toMatchObject({ resetBackoff: false });
  });

  it('identifies instead of repeating a resume that was sent but never completed', () => {
    const plan = planRecovery(
      input(closed(4009), {
        attempt: { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: false },
      }),
    );
    expect(plan).toMatchObject({ mode: 'identify', dropSession: true });
    expect(plan.action === 'reconnect' && plan.why).toMatch(/the resume failed, identifying/);
  });

  it('resumes again after a restart the user asked for while a resume was unanswered', () => {
    const plan = planRecovery(
      input(
        { reason: 'restart' },
        { attempt: { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: false } },
      ),
    );
    expect(plan).toMatchObject({ action: 'reconnect', mode: 'resume', dropSession: false });
  });

  it('resumes again after losing a connection whose replay had begun, identifies after one that made no progress', () => {
    const lost = closed(1006);
    const resumed = { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: false } as const;
    expect(planRecovery(input(lost, { attempt: { ...resumed, resumeProgressed: true } }))).toMatchObject({
      action: 'reconnect',
      mode: 'resume',
      dropSession: false,
    });
    expect(planRecovery(input(lost, { attempt: { ...resumed, resumeProgressed: false } }))).toMatchObject({
      mode: 'identify',
      dropSession: true,
    });
  });

  it('identifies again after an unanswered Identify, through the back-off', () => {
    const plan = planRecovery(
      input(
        { reason: 'sessionUnanswered', frame: 'identify', afterMs: 15_000 },
        { attempt: { mode: 'identify', resumeSent: false, identifySent: true, reachedReady: false } },
      ),
    );
    expect(plan).toMatchObject({
      action: 'reconnect',
      mode: 'identify',
      dropSession: true,
      minDelayMs: 0,
      resetBackoff: false,
      why: 'no answer to Identify within 15000 ms',
    });
  });

  it('resumes once more after an unanswered Resume, then identifies', () => {
    const end = { reason: 'sessionUnanswered', frame: 'resume', afterMs: 15_000 } as const;
    const attempt = { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: false } as const;
    expect(planRecovery(input(end, { attempt }))).toMatchObject({
      action: 'reconnect',
      mode: 'resume',
      dropSession: false,
      resumeUnanswered: true,
      why: 'no answer to Resume within 15000 ms; resuming again',
    });
    const again = planRecovery(input(end, { attempt, unansweredResumes: 1 }));
    expect(again).toMatchObject({ action: 'reconnect', mode: 'identify', dropSession: true });
    expect(again.action === 'reconnect' && again.resumeUnanswered).toBeFalsy();
    expect(again.action === 'reconnect' && again.why).toBe(
      'no answer to Resume within 15000 ms, 2 times in a row; identifying',
    );
    // Nothing to resume without a session.
    expect(planRecovery(input(end, { attempt, hasSession: false }))).toMatchObject({ mode: 'identify' });
  });

  it('the planner counts unanswered resumes until the next READY or RESUMED', () => {
    const planner = new ReconnectPlanner({ backoff: undefined, ruleFor, maxAuthFailures: 2 });
    const end = { reason: 'sessionUnanswered', frame: 'resume', afterMs: 15_000 } as const;
    const attempt = { mode: 'resume', resumeSent: true, identifySent: false, reachedReady: false } as const;
    const next = (): string => {
      const plan = planner.plan(end, attempt, true, 0);
      if (plan.action !== 'reconnect') throw new Error('expected a reconnect');
      planner.delayFor(plan);
      return plan.mode;
    };
    expect([next(), next()]).toEqual(['resume', 'identify']);
    planner.ready(Date.now());
    expect(next()).toBe('resume');
  });

  it('never plans a resume without a session or after a failed resume (property)', () => {
    const end = fc.oneof(
      fc.integer({ min: 1000, max: 4999 }).map(closed),
      fc.constantFrom<AttemptEnd>(
        { reason: 'zombie' },
        { reason: 'helloTimeout' },
        { reason: 'reconnectRequested' },
        { reason: 'restart' },
        { reason: 'readyWithoutSession' },
      ),
      fc.boolean().map((resumable): AttemptEnd => ({ reason: 'invalidSession', resumable })),
      fc
        .constantFrom<'identify' | 'resume'>('identify', 'resume')
        .map((frame): AttemptEnd => ({ reason: 'sessionUnanswered', frame, afterMs: 15_000 })),
    );
    const attempt = fc.record({
      mode: fc.constantFrom<'resume' | 'identify'>('resume', 'identify'),
      resumeSent: fc.boolean(),
      identifySent: fc.boolean(),
      reachedReady: fc.boolean(),
      resumeProgressed: fc.boolean(),
    });
    fc.assert(
      fc.property(
        end,
        attempt,
        fc.boolean(),
        fc.nat(3),
        fc.nat(3),
        (anEnd, facts, hasSession, authFailures, unansweredResumes) => {
          const plan = planRecovery(
            input(anEnd, { attempt: facts, hasSession, authFailures, unansweredResumes }),
          );
          if (plan.action !== 'reconnect') return;
          // Unanswered resumes are retried a bounded number of times, and nothing else counts as one.
          const retriesUnanswered = plan.resumeUnanswered === true;
          expect(retriesUnanswered).toBe(
            anEnd.reason === 'sessionUnanswered' &&
              anEnd.frame === 'resume' &&
              hasSession &&
              unansweredResumes + 1 < MAX_UNANSWERED_RESUMES,
          );
          if (plan.mode !== 'resume') return;
          expect(hasSession).toBe(true);
          // A restart the user asked for is no failed resume (manager.restartResumes.test.ts), nor is
          // one whose replay had begun (shard.resumeInterrupted.test.ts), nor one the platform never
          // answered, within its bound (shard.sessionAnswer.test.ts).
          const failedResume =
            facts.mode === 'resume' && facts.resumeSent && !facts.reachedReady && !facts.resumeProgressed;
          expect(failedResume && anEnd.reason !== 'restart' && !retriesUnanswered).toBe(false);
          // An unanswered Identify never turns into a resume: it started no session to resume.
          expect(anEnd.reason === 'sessionUnanswered' && anEnd.frame === 'identify').toBe(false);
          expect(plan.dropSession).toBe(false);
        },
      ),
    );
  });
});
