import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HandlerError, type ThreadClientError } from '@bot/client';
import {
  MAX_REPORTS_PER_WINDOW,
  REPORT_WINDOW_MS,
  ThreadErrorForwarding,
} from '../src/threads/ThreadErrorForwarding.js';
import { recordingLogger } from './support/recordingLogger.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function forwarding() {
  const posted: ThreadClientError[] = [];
  const { log, lines } = recordingLogger();
  const forward = new ThreadErrorForwarding(
    3,
    log,
    (error) => posted.push(error) > 0,
    () => Date.now(),
  );
  return { forward, posted, lines };
}

const failure = (n: number) =>
  new HandlerError('GROUP_AT_MESSAGE_CREATE', 1, `handler#0.m${n}`, new Error('x'));
const notReported = (lines: Array<{ message: unknown }>): string[] =>
  lines.map((line) => String(line.message)).filter((text) => text.includes('were not reported'));

describe('ThreadErrorForwarding: the failures not reported are told when their window ends', () => {
  it('after a burst past the allowance and then quiet, the count is logged once the window ends, not at shutdown', () => {
    const { forward, posted, lines } = forwarding();
    for (let n = 0; n < MAX_REPORTS_PER_WINDOW + 5; n += 1) forward.report(failure(n), 1);
    expect(posted).toHaveLength(MAX_REPORTS_PER_WINDOW);
    vi.advanceTimersByTime(REPORT_WINDOW_MS - 1);
    expect(notReported(lines)).toEqual([]);

    vi.advanceTimersByTime(1);
    expect(notReported(lines)).toHaveLength(1);
    expect(notReported(lines)[0]).toContain("5 failure(s) of worker thread 3's client were not reported");
    // Told once: neither the shutdown's flush nor a later window says it again.
    forward.flush();
    vi.advanceTimersByTime(REPORT_WINDOW_MS * 3);
    expect(notReported(lines)).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('arms no timer while nothing is dropped, and a flush before the window ends clears it', () => {
    const { forward, lines } = forwarding();
    for (let n = 0; n < MAX_REPORTS_PER_WINDOW; n += 1) forward.report(failure(n), 1);
    expect(vi.getTimerCount()).toBe(0);

    forward.report(failure(99), 1);
    expect(vi.getTimerCount()).toBe(1);
    forward.flush(); // the thread client's shutdown
    expect(vi.getTimerCount()).toBe(0);
    expect(notReported(lines)).toHaveLength(1);
    expect(notReported(lines)[0]).toContain('1 failure(s)');
  });
});
