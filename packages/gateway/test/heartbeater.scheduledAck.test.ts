/**
 * The planner counts a connection as healthy only when one of the schedule's beats was
 * acknowledged: a beat the server asked for (op 1) can be had at any moment.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeater } from '@bot/gateway';

describe('Heartbeater.acknowledgedScheduled', () => {
  let heart: Heartbeater;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    heart = new Heartbeater({ beat: () => undefined, zombie: () => undefined });
  });
  afterEach(() => {
    heart.stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('is false for the answer to a beat the server asked for, true for a scheduled one', () => {
    heart.start(1000);
    vi.advanceTimersByTime(100);
    expect(heart.beatNow()).toBe(true);
    expect(heart.acknowledge()).toBe(0);
    expect(heart.acknowledgedScheduled).toBe(false);
    vi.advanceTimersByTime(400); // the first, jittered beat
    expect(heart.acknowledge()).toBe(0);
    expect(heart.acknowledgedScheduled).toBe(true);
  });

  it('is true when a beat the server asked for stands for the schedule’s beat', () => {
    heart.start(1000);
    vi.advanceTimersByTime(450);
    expect(heart.beatNow()).toBe(true);
    vi.advanceTimersByTime(50); // the tick finds it recent and lets it stand for its beat
    heart.acknowledge();
    expect(heart.acknowledgedScheduled).toBe(true);
  });

  it('is true when the server asks while a scheduled beat awaits its answer', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    expect(heart.beatNow()).toBe(false);
    heart.acknowledge();
    expect(heart.acknowledgedScheduled).toBe(true);
  });
});
