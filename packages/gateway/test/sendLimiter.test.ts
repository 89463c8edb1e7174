import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, SendLimiter, SendQueueFullError } from '@bot/gateway';

let written: string[];
let limiter: SendLimiter;

beforeEach(() => {
  vi.useFakeTimers();
  written = [];
  limiter = new SendLimiter((data) => written.push(data), { limit: 5, windowMs: 1_000, reserved: 2 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SendLimiter', () => {
  it('lets ordinary frames use the budget minus the reserve, then holds them until the window resets', async () => {
    const sends = ['a', 'b', 'c', 'd'].map((frame) => limiter.send(frame));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(999);
    expect(written).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual(['a', 'b', 'c', 'd']);
    await Promise.all(sends);
  });

  it('sends priority frames (heartbeats) at once, never behind queued ordinary frames', async () => {
    for (const frame of ['a', 'b', 'c', 'd', 'e']) void limiter.send(frame);
    limiter.sendPriority('heartbeat');
    expect(written).toEqual(['a', 'b', 'c', 'heartbeat']);
  });

  it('queues priority frames ahead of ordinary ones once the whole budget is spent', async () => {
    for (const frame of ['a', 'b', 'c']) void limiter.send(frame);
    limiter.sendPriority('p1');
    limiter.sendPriority('p2');
    void limiter.send('d');
    limiter.sendPriority('p3');
    expect(written).toEqual(['a', 'b', 'c', 'p1', 'p2']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toEqual(['a', 'b', 'c', 'p1', 'p2', 'p3', 'd']);
  });

  it('names the shortest heartbeat interval its budget sustains: two shares of the window per beat', () => {
    expect(new SendLimiter(() => undefined).heartbeatFloorMs()).toBe(2_000);
    expect(limiter.heartbeatFloorMs()).toBe(400);
    expect(new SendLimiter(() => undefined, { limit: 600 }).heartbeatFloorMs()).toBe(200);
  });

  it('tells how long until the budget is full again', async () => {
    limiter.sendPriority('x');
    await vi.advanceTimersByTimeAsync(300);
    expect(limiter.msUntilReset()).toBe(700);
  });

  it('rejects queued sends when the connection closes, and later ones at once', async () => {
    for (const frame of ['a', 'b', 'c']) void limiter.send(frame);
    const queued = limiter.send('d');
    limiter.close(new Error('gone'));
    await expect(queued).rejects.toThrow('gone');
    await expect(limiter.send('e')).rejects.toThrow('gone');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('closes when a write throws: that send and the queued ones reject with the error, and a heartbeat or identify throws nothing', async () => {
    const gone = new Error('socket closing');
    const failing = new SendLimiter(
      () => {
        throw gone;
      },
      { limit: 5, windowMs: 1_000, reserved: 2 },
    );
    expect(() => failing.sendHeartbeat(() => 'beat')).not.toThrow();
    expect(() => failing.sendPriority('identify')).not.toThrow();
    await expect(failing.send('a')).rejects.toBe(gone);

    const later = new SendLimiter(
      (data) => {
        if (data === 'b') throw gone;
        written.push(data);
      },
      { limit: 5, windowMs: 1_000, reserved: 2 },
    );
    const sends = ['a', 'b', 'c', 'd'].map((frame) =>
      later.send(frame).then(
        () => 'sent',
        (error: unknown) => error,
      ),
    );
    expect(await Promise.all(sends)).toEqual(['sent', gone, gone, gone]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual(['a']);
  });

  it('keeps at most one heartbeat waiting, built with the latest state when the window resets', async () => {
    limiter.sendPriority('identify');
    for (const frame of ['a', 'b', 'c']) void limiter.send(frame);
    limiter.sendHeartbeat(() => 'beat 0');
    limiter.sendHeartbeat(() => 'beat 1'); // the budget's last slot
    expect(written).toEqual(['identify', 'a', 'b', 'beat 0', 'beat 1']);
    for (let seq = 2; seq <= 100; seq++) limiter.sendHeartbeat(() => `beat ${seq}`);
    expect(written).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written.slice(5)).toEqual(['beat 100', 'c']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written).toHaveLength(7);
  });

  it('rejects an ordinary send at once once maxQueued frames wait, and queues again after they drain', async () => {
    const bounded = new SendLimiter((data) => written.push(data), {
      limit: 3,
      windowMs: 1_000,
      reserved: 2,
      maxQueued: 2,
    });
    const sends = ['a', 'b', 'c'].map((frame) => bounded.send(frame)); // 'a' goes now, 2 wait
    const refused = await bounded.send('d').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendQueueFullError);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ kind: 'gateway', maxQueued: 2 });
    expect((refused as Error).message).toContain('outbound queue is full');
    bounded.sendPriority('heartbeat'); // priority frames are not bounded by the ordinary queue
    expect(written).toEqual(['a', 'heartbeat']);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toEqual(['a', 'heartbeat', 'b']);
    const later = bounded.send('e');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual(['a', 'heartbeat', 'b', 'c', 'e']);
    await Promise.all([...sends, later]);
  });

  it('bounds the ordinary queue at 1,000 frames by default', async () => {
    const sends = Array.from({ length: 1_003 }, (_, i) => limiter.send(`f${i}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toHaveLength(3); // the window's ordinary budget
    await expect(limiter.send('one too many')).rejects.toBeInstanceOf(SendQueueFullError);
    limiter.close(new Error('test over'));
    await Promise.allSettled(sends);
  });
});

// The wall clock can step back (a time sync, a resumed VM). The send window must still end one
// window after it began in real time: a heartbeat held until the clock caught up with an hour
// would let the platform close the session.
describe('SendLimiter across a wall-clock step back', () => {
  it('sends what waited for the budget one window later, not when the clock catches up', async () => {
    for (const frame of ['a', 'b', 'c', 'd', 'e']) limiter.sendPriority(frame);
    limiter.sendHeartbeat(() => 'heartbeat');
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toContain('heartbeat');
  });

  it('ends a window begun before the step one window after the step at the latest', async () => {
    limiter.sendPriority('a');
    vi.setSystemTime(Date.now() - 3_600_000);
    for (const frame of ['b', 'c', 'd', 'e', 'f']) limiter.sendPriority(frame);
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(limiter.msUntilReset()).toBeLessThanOrEqual(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

// Stepped forward, the wall clock must not open the next window early: the platform counts frames
// on real time and closes a connection that sends more than its budget in one window.
describe('SendLimiter across a wall-clock step forward', () => {
  it('keeps a spent window closed for its whole length', async () => {
    for (const frame of ['a', 'b', 'c', 'd', 'e']) limiter.sendPriority(frame);
    await vi.advanceTimersByTimeAsync(400);
    vi.setSystemTime(Date.now() + 3_600_000);
    limiter.sendHeartbeat(() => 'heartbeat');
    void limiter.send('ordinary');
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(limiter.msUntilReset()).toBe(600);

    await vi.advanceTimersByTimeAsync(599);
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e', 'heartbeat', 'ordinary']);
  });
});
