/**
 * The chunked-upload quota (40093002 from `upload_prepare`) starts again from 0 at the end of each
 * period, counted from the emulator's start on the steady clock, as the session start budget
 * does: fake timers that fake `performance` move it, a wall clock stepped forward does not.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emulator } from '@bot/testing';
import { UploadQuota } from '../src/uploads/UploadQuota.js';
import { call } from './helpers/http.js';
import { placeholderPrepareBody } from './support/uploadPrepare.js';

const DAY = 86_400_000;

describe('UploadQuota', () => {
  it('accepts an upload exactly when fewer than the limit were taken in its period (any times, any limit)', () => {
    const step = fc.record({ advance: fc.integer({ min: 0, max: 3 * DAY }), take: fc.boolean() });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: DAY }),
        fc.array(step),
        (limit, period, steps) => {
          const start = 1_000_000;
          const quota = new UploadQuota(() => ({ dailyQuota: limit, quotaPeriodMs: period }), start);
          const takenIn = new Map<number, number>(); // the oracle: uploads per period number
          let now = start;
          for (const { advance, take } of steps) {
            now += advance;
            const index = Math.floor((now - start) / period);
            const taken = takenIn.get(index) ?? 0;
            if (take) {
              const accepted = quota.tryTake(now);
              expect(accepted).toBe(taken < limit);
              if (accepted) takenIn.set(index, taken + 1);
            }
            const snapshot = quota.snapshot(now);
            expect(snapshot.used).toBe(takenIn.get(index) ?? 0);
            expect(snapshot.remaining).toBe(limit - snapshot.used);
            expect(snapshot.resetAfter).toBe(start + (index + 1) * period - now);
          }
        },
      ),
    );
  });

  it('reports an unlimited quota as null limit and remaining', () => {
    const quota = new UploadQuota(() => ({ dailyQuota: Infinity, quotaPeriodMs: DAY }), 0);
    expect(quota.tryTake(10)).toBe(true);
    expect(quota.snapshot(10)).toEqual({ limit: null, used: 1, remaining: null, resetAfter: DAY - 10 });
  });
});

describe('the emulator upload quota on a fake clock', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await emu?.stop();
  });
  const prepare = () =>
    call(emu!.restUrl, 'POST', `/v2/groups/${emu!.world.defaults.groupOpenid}/upload_prepare`, {
      token: emu!.createAccessToken(), // the clock jumps past a token's lifetime
      body: placeholderPrepareBody(10),
    });

  it('refuses upload_prepare with 40093002 once the quota is used, and accepts it again 24 h after the start', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start();
    emu.uploads.configure({ dailyQuota: 2 });

    expect((await prepare()).status).toBe(200);
    vi.advanceTimersByTime(DAY - 1);
    expect((await prepare()).status).toBe(200);
    const over = await prepare();
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 40093002 });
    expect(emu.uploads.quota).toEqual({ limit: 2, used: 2, remaining: 0, resetAfter: 1 });

    vi.advanceTimersByTime(1);
    expect(emu.uploads.quota).toEqual({ limit: 2, used: 0, remaining: 2, resetAfter: DAY });
    expect((await prepare()).status).toBe(200);
    expect((await prepare()).status).toBe(200);
    expect((await prepare()).body).toMatchObject({ code: 40093002 });
  });

  it('follows a shorter quotaPeriodMs, and refuses one that is not a positive finite integer', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start();
    emu.uploads.configure({ dailyQuota: 1, quotaPeriodMs: 60_000 });
    expect((await prepare()).status).toBe(200);
    expect((await prepare()).body).toMatchObject({ code: 40093002 });
    expect(emu.uploads.quota).toMatchObject({ used: 1, remaining: 0 });
    vi.advanceTimersByTime(150_000); // two whole periods later, 30 s into the third
    expect(emu.uploads.quota).toMatchObject({ used: 0, remaining: 1, resetAfter: 30_000 });
    expect((await prepare()).status).toBe(200);
    expect((await prepare()).body).toMatchObject({ code: 40093002 });
    expect(() => emu!.uploads.configure({ quotaPeriodMs: 0 })).toThrow(
      /quotaPeriodMs must be a positive integer/,
    );
    expect(() => emu!.uploads.configure({ quotaPeriodMs: Infinity })).toThrow(/quotaPeriodMs must be finite/);
  });

  it('a wall clock stepped forward a day does not start the quota again', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    emu = await Emulator.start();
    emu.uploads.configure({ dailyQuota: 1 });
    expect((await prepare()).status).toBe(200);
    vi.setSystemTime(Date.now() + DAY);
    expect((await prepare()).body).toMatchObject({ code: 40093002 });
    expect(emu.uploads.quota).toMatchObject({ used: 1, remaining: 0 });
  });
});
