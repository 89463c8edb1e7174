import { describe, expect, it } from 'vitest';
import { HandlerError, ThreadClientError } from '@bot/client';
import {
  MAX_REPORTS_PER_WINDOW,
  REPORT_WINDOW_MS,
  ThreadErrorForwarding,
} from '../src/threads/ThreadErrorForwarding.js';
import { recordingLogger } from './support/recordingLogger.js';

function forwarding() {
  const posted: ThreadClientError[] = [];
  const { log, lines } = recordingLogger();
  const clock = { now: 0 };
  const forward = new ThreadErrorForwarding(
    3,
    log,
    (error) => posted.push(error) > 0,
    () => clock.now,
  );
  return { forward, posted, lines, clock };
}

const failure = (n: number) =>
  new HandlerError('GROUP_AT_MESSAGE_CREATE', 1, `handler#0.m${n}`, new Error('x'));

describe("ThreadErrorForwarding: a thread client's failures for the main thread, bounded", () => {
  it('posts each failure as a ThreadClientError of the thread and shard, keeping the original as cause', () => {
    const { forward, posted } = forwarding();
    const original = failure(1);
    forward.report(original, 1);
    expect(posted).toHaveLength(1);
    expect([posted[0]!.thread, posted[0]!.shardId, posted[0]!.reportedKind]).toEqual([3, 1, 'handler']);
    expect(posted[0]!.cause).toBe(original);
  });

  it('past the allowance of a window counts the failures instead, and logs the count once the window ends or on flush', () => {
    const { forward, posted, lines, clock } = forwarding();
    for (let n = 0; n < MAX_REPORTS_PER_WINDOW + 5; n += 1) forward.report(failure(n), 1);
    expect(posted).toHaveLength(MAX_REPORTS_PER_WINDOW);
    expect(lines).toEqual([]);

    clock.now = REPORT_WINDOW_MS;
    forward.report(failure(99), 1);
    expect(posted).toHaveLength(MAX_REPORTS_PER_WINDOW + 1);
    expect(lines).toHaveLength(1);
    expect(String(lines[0]!.message)).toContain("5 failure(s) of worker thread 3's client were not reported");

    for (let n = 0; n < MAX_REPORTS_PER_WINDOW; n += 1) forward.report(failure(n), 1);
    forward.flush();
    expect(String(lines[1]!.message)).toContain('1 failure(s)');
    forward.flush();
    expect(lines).toHaveLength(2);
  });

  it('logs a failure it cannot post (off a worker thread)', () => {
    const { log, lines } = recordingLogger();
    new ThreadErrorForwarding(0, log, () => false).report(failure(1), undefined);
    expect(lines.map((line) => line.level)).toEqual(['ERROR']);
  });
});
