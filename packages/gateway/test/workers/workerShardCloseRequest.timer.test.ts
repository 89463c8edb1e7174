import { MAX_TIMER_DELAY } from '@bot/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { requestClose } from '../../src/workers/WorkerShardCloseRequest.js';

/** A link to a thread that takes every message and records each time it is stopped as unresponsive. */
function recordingLink(): WorkerLink & { posted: ToWorker[]; unresponsiveReasons: string[] } {
  const posted: ToWorker[] = [];
  const unresponsiveReasons: string[] = [];
  return {
    posted,
    unresponsiveReasons,
    post: (message) => posted.push(message) > 0,
    nextCall: () => 0,
    attach: () => undefined,
    detach: () => undefined,
    unresponsive: (reason) => unresponsiveReasons.push(reason),
  };
}

/** A close that the thread never answers. */
function unansweredClose(graceMs: number | undefined) {
  return {
    id: 0,
    invalidateSession: false,
    graceMs,
    defaultGraceMs: 5_000,
    answered: new Promise<never>(() => undefined),
  };
}

describe('requestClose: the timer that stops a thread not reporting its close', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.clearAllTimers();
    vi.useRealTimers();
  });

  it('stops the thread once the grace plus the 2 s margin has passed without a report', () => {
    const link = recordingLink();
    expect(requestClose(link, unansweredClose(1_000))).toBe(true);
    vi.advanceTimersByTime(2_999);
    expect(link.unresponsiveReasons).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(link.unresponsiveReasons).toEqual(['shard 0 did not report its close within 3000 ms']);
  });

  it('does not stop the thread at once when the grace is the largest deadline allowed', () => {
    // Past 2^31-1 ms Node fires a timer after 1 ms, which would stop every thread straight away.
    const link = recordingLink();
    requestClose(link, unansweredClose(MAX_TIMER_DELAY));
    vi.advanceTimersByTime(60_000);
    expect(link.unresponsiveReasons).toEqual([]);
  });

  it('clamps the wait to the longest timer Node keeps rather than overflowing it', () => {
    const link = recordingLink();
    requestClose(link, unansweredClose(MAX_TIMER_DELAY));
    vi.advanceTimersByTime(MAX_TIMER_DELAY - 1);
    expect(link.unresponsiveReasons).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(link.unresponsiveReasons).toHaveLength(1);
  });

  it('clears the timer once the thread reports the close', async () => {
    const link = recordingLink();
    let answer = (): void => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    requestClose(link, { ...unansweredClose(1_000), answered });
    answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(link.unresponsiveReasons).toEqual([]);
  });
});
