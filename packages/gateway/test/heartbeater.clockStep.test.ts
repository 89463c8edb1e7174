import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeater } from '@bot/gateway';

// The wall clock can step (a time sync, a resumed VM). A heartbeat's schedule runs on timers and
// its latency on the steady clock: neither stops, hastens or distorts because the wall clock
// moved under it.

/** Lets the verdict on an overdue beat come: an immediate, run by the fake clock 1 ms after its tick. */
function afterSocketsRead(): void {
  vi.advanceTimersByTime(1);
}

describe('Heartbeater across a wall-clock step', () => {
  let beats = 0;
  let zombies = 0;
  let heart: Heartbeater;
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'clearImmediate',
        'Date',
        'performance',
      ],
    });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    beats = 0;
    zombies = 0;
    heart = new Heartbeater({ beat: () => void (beats += 1), zombie: () => void (zombies += 1) });
  });
  afterEach(() => {
    heart.stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('still calls a beat left unanswered for an interval a zombie after the clock stepped back an hour', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    heart.acknowledge();
    vi.advanceTimersByTime(1000); // the second beat, never answered
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(1000);
    afterSocketsRead();
    expect(zombies).toBe(1);
  });

  it('keeps beating, and reports the true latency, not a negative or hour-long one, when the clock steps during a beat', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    vi.advanceTimersByTime(30);
    vi.setSystemTime(Date.now() - 3_600_000);
    expect(heart.acknowledge()).toBe(30);
    vi.advanceTimersByTime(970);
    vi.advanceTimersByTime(40);
    vi.setSystemTime(Date.now() + 7_200_000);
    expect(heart.acknowledge()).toBe(40);
    expect(heart.latency).toBe(40);
    vi.advanceTimersByTime(960);
    vi.advanceTimersByTime(20);
    expect(heart.acknowledge()).toBe(20);
    expect(heart.latency).toBe(20);
    expect(beats).toBe(3);
    expect(zombies).toBe(0);
  });

  it('reports the latency of a beat answered after the clock stepped forward an hour', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    vi.advanceTimersByTime(25);
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(heart.acknowledge()).toBe(25);
    expect(heart.latency).toBe(25);
  });

  it('waits a whole interval for an acknowledgement after the clock stepped forward an hour', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    vi.setSystemTime(Date.now() + 3_600_000);
    vi.advanceTimersByTime(999);
    expect(zombies).toBe(0);
    heart.acknowledge();
    vi.advanceTimersByTime(1);
    vi.advanceTimersByTime(999);
    expect(zombies).toBe(0);
    vi.advanceTimersByTime(1); // the beat sent at 1,500 ms, never answered
    afterSocketsRead();
    expect(zombies).toBe(1);
    expect(beats).toBe(2);
  });

  it('gives a beat the server asked for just after a tick no grace: it is a zombie one interval later', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    heart.acknowledge();
    vi.advanceTimersByTime(10);
    heart.beatNow(); // 10 ms after the tick at 500: more than half an interval before the next
    vi.advanceTimersByTime(990);
    afterSocketsRead();
    expect(zombies).toBe(1);
  });
});
