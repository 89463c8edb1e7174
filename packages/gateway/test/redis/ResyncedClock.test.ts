/**
 * The identify queue measures the Redis server's clock again once the measurement is old, while
 * shards wait for a turn: never more often than the interval, and a failed measurement neither
 * fails the wait nor loses the measurement already taken. The interval is a local duration: a step
 * of the local wall clock neither puts the next measurement off nor brings it forward.
 */
import { Logger, type ILogObj } from 'tslog';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResyncedClock, type ServerClock } from '../../src/redis/identify/ResyncedClock.js';

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
    'measures again intervalMs after the last measurement when the wall clock steps %s an hour',
    async (_direction, stepMs) => {
      const server = stubClock([500, 700]);
      const clock = new ResyncedClock(server, INTERVAL_MS, log);
      await clock.sync({});
      vi.setSystemTime(Date.now() + stepMs);

      vi.advanceTimersByTime(INTERVAL_MS - 1);
      await clock.resyncIfDue();
      expect(server.syncs).toBe(1);
      vi.advanceTimersByTime(1);
      await clock.resyncIfDue();
      expect(server.syncs).toBe(2);
    },
  );

  it('measures once for shards that wait at the same time', async () => {
    const server = stubClock([500, 700]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(INTERVAL_MS);
    await Promise.all([clock.resyncIfDue(), clock.resyncIfDue(), clock.resyncIfDue()]);
    expect(server.syncs).toBe(2);
  });

  it('keeps the last offset and warns when measuring again fails, then waits a full interval before the next try', async () => {
    const server = stubClock([500, new Error('connection lost'), 900]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(INTERVAL_MS);

    await expect(clock.resyncIfDue()).resolves.toBeUndefined();
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 500);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      "could not re-measure the server's clock; keeping the last offset: connection lost",
    );

    vi.advanceTimersByTime(INTERVAL_MS - 1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(2);
    vi.advanceTimersByTime(1);
    await clock.resyncIfDue();
    expect(server.syncs).toBe(3);
    expect(clock.now()).toBe(Date.now() + 900);
  });

  it('gives up a measurement unanswered after timeoutMs, keeping the last offset, so the waiting shard goes on', async () => {
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
      "could not re-measure the server's clock; keeping the last offset: no answer within 1000 ms",
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
