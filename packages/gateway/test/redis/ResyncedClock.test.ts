/**
 * The identify queue estimates the Redis server's time as the local wall clock plus a measured
 * offset. It measures again once the measurement is old, or at once after a step of the wall
 * clock, in the background: a read never waits for a measurement nor fails because of one, and a
 * failing server is tried again after growing pauses and reported once, not at every read. A
 * suspend moves the wall clock and the server's alike, so the estimate needs no new measurement.
 * Setting up waits for a measurement that set a reading.
 */
import { Logger, type ILogObj } from 'tslog';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClockReading } from '../../src/redis/support/RedisClock.js';
import {
  FIRST_RETRY_DELAY_MS,
  ResyncedClock,
  WALL_STEP_LIMIT_MS,
  type ServerClock,
} from '../../src/redis/identify/ResyncedClock.js';

const INTERVAL_MS = 60_000;
const HOUR = 3_600_000;
const TIMEOUT_MS = 10_000;

// Captured before any test fakes timers: lets promises settle while fake time stands still.
const realSetImmediate = setImmediate;
const settle = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * A server clock running `offset` ms ahead of the local wall clock; each `sync()` takes the next
 * planned answer (`'never'`: no answer, as over a link that stopped answering).
 */
function stubClock(answers: Array<number | Error | 'never'>): ServerClock & { syncs: number } {
  let reading: ClockReading | undefined;
  const clock = {
    syncs: 0,
    sync: async (): Promise<void> => {
      clock.syncs++;
      const answer = answers.shift();
      // An answer comes over the network: never within the call.
      await Promise.resolve();
      if (answer === 'never') return new Promise<void>(() => undefined);
      if (answer instanceof Error) throw answer;
      reading = { offsetMs: answer ?? 0, wallMs: Date.now(), steadyMs: performance.now() };
    },
    reading: () => reading,
    now: (): number => Date.now() + (reading?.offsetMs ?? 0),
  };
  return clock;
}

/** Reads the clock and lets a measurement it started finish. */
async function readAndSettle(clock: ResyncedClock): Promise<number> {
  const now = clock.now();
  for (let turn = 0; turn < 5; turn++) await settle();
  return now;
}

describe('ResyncedClock', () => {
  const log = new Logger<ILogObj>({ type: 'hidden' });
  let warn: ReturnType<typeof vi.spyOn>;
  let info: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(1_000_000);
    warn = vi.spyOn(log, 'warn');
    info = vi.spyOn(log, 'info');
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('measures again, in the background, only once the measurement is intervalMs old', async () => {
    const server = stubClock([500, 700]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    expect(clock.now()).toBe(Date.now() + 500);

    vi.advanceTimersByTime(INTERVAL_MS - 1);
    await readAndSettle(clock);
    expect(server.syncs).toBe(1);

    vi.advanceTimersByTime(1);
    // The read that finds the measurement due does not wait for it.
    expect(await readAndSettle(clock)).toBe(Date.now() + 500);
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 700);
    await readAndSettle(clock);
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
      await readAndSettle(clock);
      expect(server.syncs).toBe(2);

      vi.advanceTimersByTime(INTERVAL_MS - 1);
      await readAndSettle(clock);
      expect(server.syncs).toBe(2);
      vi.advanceTimersByTime(1);
      await readAndSettle(clock);
      expect(server.syncs).toBe(3);
    },
  );

  it('does not measure again for a parting of the clocks up to the limit (a time sync slewing the wall clock)', async () => {
    const server = stubClock([500, 700]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(10_000);
    vi.setSystemTime(Date.now() + WALL_STEP_LIMIT_MS);
    await readAndSettle(clock);
    expect(server.syncs).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    await readAndSettle(clock);
    expect(server.syncs).toBe(2);
  });

  it("keeps to the server's time after a suspend without measuring again (the server does not answer)", async () => {
    const server = stubClock([500, 'never']);
    const clock = new ResyncedClock(server, INTERVAL_MS, log, TIMEOUT_MS);
    await clock.sync({});
    vi.advanceTimersByTime(1_000);
    const serverBefore = Date.now() + 500;
    // Suspended 10 minutes: the wall clock and the server's moved on, the steady clock did not.
    vi.setSystemTime(Date.now() + 600_000);
    expect(clock.now()).toBe(serverBefore + 600_000);
  });

  it('is off by at most the step while the measurement after a wall step fails, never waits, and warns once', async () => {
    const lost = new Error('connection lost');
    const server = stubClock([500, 'never', lost, lost, 2_500]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log, TIMEOUT_MS);
    await clock.sync({});
    vi.setSystemTime(Date.now() - 2_000);
    // Each read answers at once, off by the step, while the measurement hangs.
    for (let read = 0; read < 5; read++) expect(await readAndSettle(clock)).toBe(Date.now() + 500);
    expect(server.syncs).toBe(2);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /could not measure the server's clock again \(no answer within 10000 ms\)/,
    );

    // Tried again after 1 s, then after 2 s (both fail), then after 4 s: no warning per failure.
    for (const [pauseMs, syncs] of [
      [FIRST_RETRY_DELAY_MS - 1, 2],
      [1, 3],
      [2 * FIRST_RETRY_DELAY_MS - 1, 3],
      [1, 4],
      [4 * FIRST_RETRY_DELAY_MS - 1, 4],
      [1, 5],
    ] as const) {
      vi.advanceTimersByTime(pauseMs);
      expect(await readAndSettle(clock)).toBe(Date.now() + 500);
      expect(server.syncs).toBe(syncs);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    // The fifth try worked: the step is measured, and the recovery told once.
    expect(clock.now()).toBe(Date.now() + 2_500);
    expect(info).toHaveBeenCalledWith("measured the server's clock again after 3 failed tries");
  });

  it('waits at most intervalMs between tries however many failed', async () => {
    const failures = Array.from({ length: 12 }, () => new Error('down'));
    const server = stubClock([500, ...failures]);
    const interval = 5_000;
    const clock = new ResyncedClock(server, interval, log);
    await clock.sync({});
    vi.advanceTimersByTime(interval);
    for (let tries = 1; tries <= 6; tries++) {
      await readAndSettle(clock);
      expect(server.syncs).toBe(1 + tries);
      vi.advanceTimersByTime(Math.min(interval, FIRST_RETRY_DELAY_MS * 2 ** (tries - 1)));
    }
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('measures once for callers that read at the same time', async () => {
    const server = stubClock([500, 700]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await clock.sync({});
    vi.advanceTimersByTime(INTERVAL_MS);
    clock.now();
    clock.now();
    await readAndSettle(clock);
    expect(server.syncs).toBe(2);
  });

  it('lets setting up join a measurement under way, and try again when that one set no reading', async () => {
    const server = stubClock([new Error('superseded'), 500]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    // A read before setting up starts a measurement (there is none yet); it fails.
    clock.now();
    const sync = clock.sync({ attempts: 2, baseDelayMs: 1, maxDelayMs: 1 });
    await vi.advanceTimersByTimeAsync(10);
    await sync;
    expect(server.syncs).toBe(2);
    expect(clock.now()).toBe(Date.now() + 500);
  });

  it("leaves setting up's failed tries to its caller: no warning, and no recovery told", async () => {
    const server = stubClock([new Error('down'), 500]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    const sync = clock.sync({ attempts: 2, baseDelayMs: 1, maxDelayMs: 1 });
    await vi.advanceTimersByTimeAsync(10);
    await sync;
    expect(warn).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
  });

  it('throws the operation error once the retries of the first measurement are spent', async () => {
    const server = stubClock([new Error('down'), new Error('down')]);
    const clock = new ResyncedClock(server, INTERVAL_MS, log);
    await expect(clock.sync({ attempts: 2, baseDelayMs: 0 })).rejects.toMatchObject({
      message: expect.stringMatching(/read the server's clock/),
    });
  });
});
