/**
 * The identify queue measures the Redis server's clock again once the measurement is old, while
 * shards wait for a turn: never more often than the interval, and a failed measurement neither
 * fails the wait nor loses the measurement already taken. The interval is a local duration: a step
 * of the local wall clock does not put the next measurement off. A suspend (the wall clock moves
 * on, the steady clock does not, the server's runs on) or a step of more than a second brings it
 * on at once: counted on from the last measurement, the server's time would lag by the suspend.
 */
import { Logger, type ILogObj } from 'tslog';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CLOCK_SPLIT_LIMIT_MS,
  ResyncedClock,
  type ServerClock,
} from '../../src/redis/identify/ResyncedClock.js';

const INTERVAL_MS = 60_000;
const HOUR = 3_600_000;

/**
 * A server clock `offset` ms ahead of the local one; each `sync()` takes the next planned answer
 * (`'never'`: no answer, as over a link that stopped answering).
 */
function stubClock(answers: Array<number | Error | 'never'>): ServerClock & { syncs: number } {
  let offset = 0;
  const clock = {
    syncs: 0,
    sync: async (): Promise<void> => {
      clock.syncs++;
      const answer = answers.shift();
      if (answer === 'never') return new Promise<void>(() => undefined);
      if (answer instanceof Error) throw answer;
      if (answer !== undefined) offset = answer;
    },
    now: (): number => Date.now() + offset,
  };
  return clock;
}

/**
 * A server whose clock runs on the wall clock, `offset` ms ahead (it runs on while this machine is
 * suspended), read as a measurement counted on by the steady clock, as `RedisClock` reads it.
 */
function steadyCountedClock(offset: number): ServerClock & { syncs: number } {
  let reading = { serverMs: Number.NaN, steadyMs: 0 };
  const clock = {
    syncs: 0,
    sync: async (): Promise<void> => {
      clock.syncs++;
      reading = { serverMs: Date.now() + offset, steadyMs: performance.now() };
    },
    now: (): number => reading.serverMs + (performance.now() - reading.steadyMs),
  };
  return clock;
}

/** The machine is suspended for `ms`: its wall clock moves on, its steady clock does not. */
function suspendFor(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

describe('ResyncedClock', () => {
  const log = new Logger<ILogObj>({ type: 'hidden' });
  let warn: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    vi.setSystemTime(1_000_000);
    warn = vi.spyOn(log, 'warn');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('measures again only once the offset is intervalMs old', async () => {
    const server = stubClock([500, 700]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    expect(clock.now()).toBe(Date.now() + 500);

    vi.advanceTimersByTime(INTERVAL_MS - 1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(1);

    vi.advanceTimersByTime(1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 700);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
  });

  it.each([
    ['back', -HOUR],
    ['forward', HOUR],
  ])(
    'measures again at once when the wall clock steps %s an hour, then intervalMs after that measurement',
    async (_direction, stepMs) => {
      const server = stubClock([500, 700, 900]);
      const clock = new ResyncedClock(server, INTERVAL_MS, log);
      await clock.sync({});
      vi.setSystemTime(Date.now() + stepMs);
      await clock.resyncIfDue();
      expect(server.syncs).toBe(2);

      vi.advanceTimersByTime(INTERVAL_MS - 1);
      await clock.resyncIfDue();
      expect(server.syncs).toBe(2);
      vi.advanceTimersByTime(1);
      await clock.resyncIfDue();
      expect(server.syncs).toBe(3);
    },
  );

  it('measures again at once after the machine was suspended, so the time spent suspended is not lost', async () => {
    const server = steadyCountedClock(500);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(1_000);
    suspendFor(10 * 60_000);

    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 500);
  });

  it('does not measure again for a parting of the clocks up to a second (a time sync slewing the wall clock)', async () => {
    const server = steadyCountedClock(500);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(10_000);
    vi.setSystemTime(Date.now() + CLOCK_SPLIT_LIMIT_MS);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
  });

  it('tries a suspend again at the next call when measuring after it failed', async () => {
    const server = stubClock([500, new Error('connection lost'), 900]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    suspendFor(10 * 60_000);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(3);
    expect(clock.now()).toBe(Date.now() + 900);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(3);
  });

  it('measures once for shards that wait at the same time', async () => {
    const server = stubClock([500, 700]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(INTERVAL_MS);
    await Promise.all([clock.resyncIfDue(), clock.resyncIfDue(), clock.resyncIfDue()]);
    expect(server.syncs).toBe(2);
  });

  it('keeps the last measurement and warns when measuring again fails, then waits a full interval before the next try', async () => {
    const server = stubClock([500, new Error('connection lost'), 900]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(INTERVAL_MS);

    await expect(clock.resyncIfDue()).resolves.toBeUndefined();
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 500);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      "could not re-measure the server's clock; keeping the last measurement: connection lost",
    );

    vi.advanceTimersByTime(INTERVAL_MS - 1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
    vi.advanceTimersByTime(1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(3);
    expect(clock.now()).toBe(Date.now() + 900);
  });

  it('gives up a measurement unanswered after timeoutMs, keeping the last measurement, so the waiting shard goes on', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(1_000_000);
    const server = stubClock([500, 'never']);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(INTERVAL_MS);

    let settled = false;
    void clock.resyncIfDue(1_000).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1_000);

    expect(settled).toBe(true);
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 500);
    expect(warn).toHaveBeenCalledWith(
      "could not re-measure the server's clock; keeping the last measurement: no answer within 1000 ms",
    );
  });

  it('throws the operation error once the retries of the first measurement are spent', async () => {
    const server = stubClock([new Error('down'), new Error('down')]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await expect(clock.sync({ attempts: 2, baseDelayMs: 0 })).rejects.toMatchObject({
      message: expect.stringMatching(/read the server's clock/),
    });
  });
});
