/**
 * A frame larger than maxPayload closes the connection (1009) unread, and the platform sends it
 * again after every resume. The shard resumed, failed, identified, and did it again for ever:
 * three identifies in 15 s, each a session start, with nothing but a debug line. The planner now
 * reports each with a FrameTooLargeError naming the limit, resumes once, identifies past the frame
 * once, and stops the third time in a row with an error that says to raise maxPayload.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FatalGatewayError, GatewayError } from '@bot/gateway';
import { FrameTooLargeError } from '../src/errors/FrameTooLargeError.js';
import { fatalErrorFor } from '../src/shard/fatalError.js';
import type { ReconnectPlanner } from '../src/shard/ReconnectPlanner.js';
import { MAX_OVERSIZED_FRAMES, type AttemptFacts, type Recovery } from '../src/shard/recovery.js';
import { identifiedAndReady, qqPlanner, STABLE_AFTER_MS } from './support/planner.js';

const LIMIT = 4 * 1024 * 1024;
const oversized = { reason: 'frameTooLarge', maxPayload: LIMIT } as const;
/** A Resume whose replay began with the large frame: no RESUMED, no event past its seq. */
const resumeCutOff: AttemptFacts = {
  mode: 'resume',
  resumeSent: true,
  identifySent: false,
  reachedReady: false,
};

/** One attempt that reached READY (or not) at `now` and was ended by the large frame at once. */
function endOversized(planner: ReconnectPlanner, attempt: AttemptFacts, now: number): Recovery {
  if (attempt.reachedReady) planner.ready(now);
  planner.ended(oversized, now);
  return planner.plan(oversized, attempt, true, 0);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a frame larger than maxPayload after every READY and every resume', () => {
  it('resumes, identifies past it, then stops saying to raise maxPayload, each reported', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const planner = qqPlanner();
    const delays: number[] = [];
    const reports: GatewayError[] = [];
    let now = 0;
    const steps: [AttemptFacts, string][] = [
      [identifiedAndReady, 'resume'],
      [resumeCutOff, 'identify'],
    ];
    for (const [attempt, mode] of steps) {
      const plan = endOversized(planner, attempt, now);
      expect(plan).toMatchObject({ action: 'reconnect', mode });
      if (plan.action !== 'reconnect') return;
      const report = plan.report?.(0);
      if (report !== undefined) reports.push(report);
      delays.push(planner.delayFor(plan));
      now += 1_000 + (delays.at(-1) ?? 0);
    }
    const last = endOversized(planner, identifiedAndReady, now);

    expect(reports).toHaveLength(2);
    for (const report of reports) {
      expect(report).toBeInstanceOf(FrameTooLargeError);
      expect(report).toMatchObject({ maxPayload: LIMIT, shardId: 0 });
      expect(report.message).toMatch(/larger than maxPayload \(4194304 bytes\).*Raise the maxPayload option/);
    }
    expect(reports[0]?.message).toContain('1 in a row; reconnecting, and a resume gets it again');
    expect(reports[1]?.message).toContain('2 in a row; identifying, so that a new session starts past it');
    // No immediate retry loop: the second waits the back-off.
    expect(delays[0]).toBe(0);
    expect(delays[1]).toBeGreaterThanOrEqual(500);

    expect(last).toMatchObject({ action: 'fatal', code: 1009, keepSession: true });
    if (last.action !== 'fatal') return;
    const error = fatalErrorFor(last, 0, 1);
    expect(error).toBeInstanceOf(FatalGatewayError);
    expect(error.message).toBe(
      `shard 0: stopped: ${MAX_OVERSIZED_FRAMES} connections in a row were closed (1009) by frames larger than maxPayload (4194304 bytes), with no stable connection between them; the platform sends events this large, and each identify would spend a session start to lose more of them. Raise the maxPayload option, then start the shard again: the session is kept, so it resumes and the frame is sent again`,
    );
  });

  it('counts afresh after a connection that stayed ready for stableAfterMs', () => {
    const planner = qqPlanner();
    let now = 0;
    for (let round = 0; round < 4; round++) {
      const first = endOversized(planner, identifiedAndReady, now);
      expect(first).toMatchObject({ action: 'reconnect', mode: 'resume' });
      if (first.action === 'reconnect') planner.delayFor(first);
      now += 10_000;
      // The resume came through and the connection then lasted: heartbeats past stableAfterMs.
      planner.ready(now);
      planner.alive(now + STABLE_AFTER_MS);
      now += STABLE_AFTER_MS + 10_000;
      planner.ended({ reason: 'closed', code: 4009, message: '' }, now);
    }
  });

  it('a restart of the shard counts afresh', () => {
    const planner = qqPlanner();
    for (let count = 1; count < MAX_OVERSIZED_FRAMES; count++) {
      const plan = endOversized(planner, identifiedAndReady, count * 1_000);
      if (plan.action === 'reconnect') planner.delayFor(plan);
    }
    planner.started();
    expect(endOversized(planner, identifiedAndReady, 10_000)).toMatchObject({
      action: 'reconnect',
      mode: 'resume',
    });
  });
});
