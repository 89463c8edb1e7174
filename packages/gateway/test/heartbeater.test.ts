import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeater } from '@bot/gateway';

describe('Heartbeater', () => {
  let beats: number[];
  let zombies: number;
  let heart: Heartbeater;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    beats = [];
    zombies = 0;
    heart = new Heartbeater({ beat: () => void beats.push(Date.now()), zombie: () => void (zombies += 1) });
  });
  afterEach(() => {
    heart.stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('does not call a beat the server asked for a zombie when the schedule catches up with it', () => {
    const t0 = Date.now();
    heart.start(1000);
    vi.advanceTimersByTime(500); // first, jittered beat
    heart.acknowledge();
    vi.advanceTimersByTime(950);
    heart.beatNow(); // the server asks, 50 ms before the next scheduled beat
    vi.advanceTimersByTime(50); // the schedule comes round: the requested beat stands for it
    expect(zombies).toBe(0);
    vi.advanceTimersByTime(20);
    heart.acknowledge();
    vi.advanceTimersByTime(1000);
    expect(zombies).toBe(0);
    expect(beats.map((at) => at - t0)).toEqual([500, 1450, 2500]);
  });

  it('still reports a requested beat that stays unanswered for an interval', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    heart.acknowledge();
    vi.advanceTimersByTime(950);
    heart.beatNow();
    vi.advanceTimersByTime(1050);
    expect(zombies).toBe(1);
  });

  it('keeps beating while zombie detection is suspended, and counts afresh once it resumes', () => {
    const t0 = Date.now();
    heart.start(1000);
    heart.suspendZombieDetection();
    vi.advanceTimersByTime(500 + 4 * 1000); // five beats, none acknowledged
    expect(zombies).toBe(0);
    expect(beats.map((at) => at - t0)).toEqual([500, 1500, 2500, 3500, 4500]);

    heart.resumeZombieDetection();
    vi.advanceTimersByTime(1000); // a fresh beat: nothing sent while suspended is held against it
    expect(zombies).toBe(0);
    expect(beats).toHaveLength(6);
    vi.advanceTimersByTime(1000); // that beat went unanswered for an interval
    expect(zombies).toBe(1);
  });
});
