import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplySequencer } from '../src/models/ReplySequencer.js';

const WINDOW_MS = 60 * 60_000;

describe('ReplySequencer: a wall clock stepped forward does not forget the numbers of a message', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a reply a minute after the first, across a step of more than the window, takes the message's next number", () => {
    vi.useFakeTimers();
    const replies = new ReplySequencer(10, WINDOW_MS);
    expect(replies.next('m1')).toBe(1);
    vi.advanceTimersByTime(60_000);
    vi.setSystemTime(Date.now() + WINDOW_MS + 1);
    // From 1 again, the platform would refuse it as used (40054005) and the reply cost a request.
    expect(replies.next('m1')).toBe(2);
  });

  it('the numbers are still forgotten once the window has passed', () => {
    vi.useFakeTimers();
    const replies = new ReplySequencer(10, WINDOW_MS);
    expect(replies.next('m1')).toBe(1);
    vi.advanceTimersByTime(WINDOW_MS);
    expect(replies.next('m1')).toBe(1);
  });
});
