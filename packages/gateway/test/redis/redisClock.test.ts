import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisClock } from '../../src/redis/support/RedisClock.js';

const TRUE_OFFSET_MS = 1_000;
const HOUR = 3_600_000;

/** `TIME`'s answer (seconds, microseconds) for a time in ms since the epoch. */
function timeReply(ms: number): [string, string] {
  return [String(Math.floor(ms / 1_000)), String((ms % 1_000) * 1_000)];
}

/**
 * A server whose clock runs `TRUE_OFFSET_MS` ahead, answering `TIME` over paths whose delays
 * (there, back) are given per call.
 */
function serverWithPaths(paths: [number, number][]): Redis {
  let call = 0;
  const time = (): Promise<[string, string]> => {
    const [there, back] = paths[call++] ?? [1, 1];
    return new Promise((resolve) =>
      setTimeout(() => {
        const server = Date.now() + TRUE_OFFSET_MS;
        setTimeout(() => resolve(timeReply(server)), back);
      }, there),
    );
  };
  return { time } as unknown as Redis;
}

/**
 * A server on another machine: its clock runs on at real time's pace from `startsAt`, whatever
 * this machine's wall clock does. Each answer takes `pathMs` there and back; `beforeAnswer` runs
 * when a `TIME` reaches the server, before it reads its clock.
 */
function remoteServer(
  startsAt: number,
  pathMs: number | ((call: number) => number) = 2,
  beforeAnswer: (call: number) => void = () => undefined,
) {
  const origin = performance.now();
  const serverNow = (): number => startsAt + Math.round(performance.now() - origin);
  let call = 0;
  const time = (): Promise<[string, string]> => {
    const thisCall = call++;
    const path = typeof pathMs === 'number' ? pathMs : pathMs(thisCall);
    return new Promise((resolve) =>
      setTimeout(() => {
        beforeAnswer(thisCall);
        const server = serverNow();
        setTimeout(() => resolve(timeReply(server)), path);
      }, path),
    );
  };
  return { redis: { time } as unknown as Redis, serverNow };
}

async function synced(clock: RedisClock): Promise<void> {
  const sync = clock.sync();
  await vi.runAllTimersAsync();
  await sync;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RedisClock.sync', () => {
  it('takes the offset from the quickest of its samples, so one uneven round trip does not skew it', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    // The first round trip is slow and uneven (290 ms there, 10 ms back): alone it would put the
    // offset 140 ms off. The second is quick and even.
    const clock = new RedisClock(
      serverWithPaths([
        [290, 10],
        [5, 5],
        [100, 100],
      ]),
    );
    await synced(clock);
    expect(clock.now() - Date.now()).toBe(TRUE_OFFSET_MS);
  });

  it('times its round trips on the steady clock, so a wall-clock step during a sample does not skew the estimate', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    // The local clock is stepped back an hour while the first sample, the slowest, is under way:
    // timed on the wall clock, that round trip would look an hour shorter than nothing and win.
    const server = remoteServer(
      1_800_000_000_000,
      (call) => (call === 0 ? 60 : 50),
      (call) => {
        if (call === 0) vi.setSystemTime(Date.now() - HOUR);
      },
    );
    const clock = new RedisClock(server.redis);
    await synced(clock);
    expect(Math.abs(clock.now() - server.serverNow())).toBeLessThanOrEqual(1);
  });
});

describe('RedisClock.sync bounds', () => {
  it('keeps its reading, and throws, when every sample of a later measurement took longer than maxRoundTripMs', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const server = remoteServer(1_800_000_000_000);
    let pathMs = 2;
    const slowable = {
      time: () => new Promise((resolve) => setTimeout(() => resolve(server.redis.time()), pathMs)),
    } as unknown as Redis;
    const clock = new RedisClock(slowable, 250);
    await synced(clock);

    // Slow one way only: a reading of these samples would put the server's time 200 ms ahead.
    pathMs = 400;
    const sync = clock.sync().catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await sync).toBeInstanceOf(Error);
    // A reading of the slow samples would have taken the server's time as ~200 ms later.
    expect(Math.abs(clock.now() - server.serverNow())).toBeLessThanOrEqual(1);
  });

  it('takes the best sample of the first measurement even when it was slow: it is better than none', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const server = remoteServer(1_800_000_000_000, 300);
    const clock = new RedisClock(server.redis, 250);
    await synced(clock);
    expect(Math.abs(clock.now() - server.serverNow())).toBeLessThanOrEqual(1);
  });

  it('lets a measurement given up by its caller neither overwrite one started after it nor resolve', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    // Outside the second measurement the link is slow and its answers 5 s off: the first
    // measurement, finishing last, would put the reading 5 s off.
    let fast = false;
    const server = remoteServer(1_800_000_000_000);
    const time = (): Promise<[string, string]> =>
      fast
        ? (server.redis.time() as unknown as Promise<[string, string]>)
        : new Promise((resolve) => setTimeout(() => resolve(timeReply(server.serverNow() - 5_000)), 300));
    const clock = new RedisClock({ time } as unknown as Redis);
    const abandoned = clock.sync().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    fast = true;
    const second = clock.sync();
    await vi.advanceTimersByTimeAsync(20);
    await second;
    fast = false;
    await vi.runAllTimersAsync();
    // It does not pass for a measurement either.
    expect(await abandoned).toMatchObject({ message: expect.stringMatching(/superseded/) });
    expect(Math.abs(clock.now() - server.serverNow())).toBeLessThanOrEqual(1);
  });
});

describe('RedisClock.now', () => {
  it("keeps to the server's time after the machine was suspended, without measuring again", async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const server = remoteServer(1_800_000_000_000);
    const clock = new RedisClock(server.redis);
    await synced(clock);
    vi.advanceTimersByTime(1_500);
    const before = server.serverNow();
    // Suspended 10 minutes: the wall clock and the server's moved on, the steady clock did not.
    vi.setSystemTime(Date.now() + 600_000);
    expect(clock.now()).toBe(before + 600_000);
  });

  it('keeps when and where on the wall and steady clocks its reading was taken, so a wall step since shows', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = new RedisClock(remoteServer(1_800_000_000_000, 5).redis);
    const steadyBefore = performance.now();
    await synced(clock);
    // The quickest sample's middle: 5 ms after it was sent.
    expect(clock.reading()).toEqual({
      offsetMs: 100_000_000_000,
      wallMs: 1_700_000_000_005,
      steadyMs: steadyBefore + 5,
    });
  });

  it('reads the local wall clock before the first sync', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const clock = new RedisClock(remoteServer(1_800_000_000_000).redis);
    expect(clock.now()).toBe(1_700_000_000_000);
  });
});
