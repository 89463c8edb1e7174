import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeater } from '@bot/gateway';

/**
 * Lets the verdict on an overdue beat come: the Heartbeater gives it in an immediate, after Node
 * has read the sockets, which the fake clock runs a millisecond after the tick that set it.
 */
function afterSocketsRead(): void {
  vi.advanceTimersByTime(1);
}

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
    vi.advanceTimersByTime(1050); // the tick at 2,500 finds it overdue
    expect(zombies).toBe(0);
    afterSocketsRead(); // the acknowledgement was not waiting in the socket either
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
    afterSocketsRead();
    expect(zombies).toBe(1);
  });
  it('calls an overdue beat a zombie only once the sockets were read: an acknowledgement read then clears it, and the beat due goes out', () => {
    const t0 = Date.now();
    heart.start(1000);
    vi.advanceTimersByTime(500); // first beat, its acknowledgement still unread
    vi.advanceTimersByTime(1000); // the next tick finds it overdue
    expect(zombies).toBe(0);
    expect(beats).toHaveLength(1);
    expect(heart.acknowledge()).toBe(1000); // read from the socket after the timers ran
    afterSocketsRead();
    expect(zombies).toBe(0);
    expect(beats.map((at) => at - t0)).toEqual([500, 1501]); // the tick's beat, late but not lost

    vi.advanceTimersByTime(999); // the schedule goes on: this one is never answered
    afterSocketsRead();
    expect(zombies).toBe(1);
  });

  it('waits with the verdict while reads still bring frames: an acknowledgement behind a backlog clears the overdue beat', () => {
    const t0 = Date.now();
    heart.start(1000);
    vi.advanceTimersByTime(500); // first beat; its acknowledgement comes behind a large backlog
    vi.advanceTimersByTime(1000); // the tick at 1,500 finds it overdue
    for (let read = 0; read < 3; read++) {
      for (let frame = 0; frame < 7; frame++) heart.frameRead(); // one read: part of the backlog
      afterSocketsRead();
      expect(zombies).toBe(0);
    }
    heart.frameRead(); // the last read brings the acknowledgement
    expect(heart.acknowledge()).toBe(1003);
    afterSocketsRead();
    expect(zombies).toBe(0);
    expect(beats.map((at) => at - t0)).toEqual([500, 1504]); // the tick's beat goes out then
  });

  it('gives the verdict after the first read that brings nothing new', () => {
    heart.start(1000);
    vi.advanceTimersByTime(1500);
    heart.frameRead();
    afterSocketsRead(); // that read brought a frame, not the acknowledgement: wait for the next
    expect(zombies).toBe(0);
    afterSocketsRead(); // nothing new
    expect(zombies).toBe(1);
  });

  it('cuts a connection whose reads bring frames but never the acknowledgement, half an interval after the tick', () => {
    heart.start(1000);
    vi.advanceTimersByTime(1500);
    const tickAt = performance.now();
    while (zombies === 0 && performance.now() - tickAt < 2000) {
      heart.frameRead();
      afterSocketsRead();
    }
    expect(zombies).toBe(1);
    expect(performance.now() - tickAt).toBe(500);
    expect(beats).toHaveLength(1);
  });

  it('gives no verdict on an overdue beat once stopped, nor into a run started again', () => {
    heart.start(1000);
    vi.advanceTimersByTime(1500); // the tick at 1,500 finds the first beat overdue
    heart.stop();
    heart.start(1000);
    afterSocketsRead();
    expect(zombies).toBe(0);
    expect(beats).toHaveLength(1);
  });

  it('does not call an overdue beat a zombie when reading was paused before the verdict: the beat due goes out', () => {
    heart.start(1000);
    vi.advanceTimersByTime(1500);
    heart.suspendZombieDetection(); // a handler paused reading; the acknowledgement stays unread
    afterSocketsRead();
    expect(zombies).toBe(0);
    expect(beats).toHaveLength(2);
  });

  it('lets a beat the server asked for, once the overdue one was answered, stand for the tick', () => {
    heart.start(1000);
    vi.advanceTimersByTime(1500);
    heart.acknowledge();
    expect(heart.beatNow()).toBe(true); // read in the same pass as the acknowledgement
    afterSocketsRead();
    expect(zombies).toBe(0);
    expect(beats).toHaveLength(2);
  });
  it('measures the round trip in whole milliseconds', () => {
    heart.start(1000);
    vi.advanceTimersByTime(500);
    vi.advanceTimersByTime(30.4);
    expect(heart.acknowledge()).toBe(30);
    expect(heart.latency).toBe(30);
    vi.advanceTimersByTime(969.6);
    vi.advanceTimersByTime(0.6);
    expect(heart.acknowledge()).toBe(1);
    expect(heart.latency).toBe(1);
  });
});
