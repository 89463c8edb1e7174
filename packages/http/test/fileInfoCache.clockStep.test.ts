/**
 * A kept file_info expires when its `ttl` has passed since the platform gave it, counted on both
 * clocks, by whichever says more time has passed: the steady clock, so that a wall clock stepped
 * back (a time sync) does not hand out a file_info the platform has already expired; the wall
 * clock, so that time spent suspended (a paused VM, a sleeping laptop), which the steady clock does
 * not count, is counted too. Either would make the message that carries the file_info fail.
 * (`vi.setSystemTime` without advancing timers moves the wall clock alone, as a suspend does.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileInfoCache } from '@bot/http';

const HOUR = 3_600_000;
const media = { file_uuid: 'uuid', file_info: 'info', ttl: 120 };

describe('FileInfoCache when the wall clock steps', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops an entry at its expiry (less the margin) though the clock was stepped back meanwhile', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const cache = new FileInfoCache();
    cache.set('key', media);
    vi.setSystemTime(Date.now() - HOUR);

    vi.advanceTimersByTime(30_000);
    expect(cache.get('key')).toMatchObject({ file_info: 'info', ttl: 90 });
    vi.advanceTimersByTime(31_000);
    expect(cache.get('key')).toBeUndefined();
  });

  it('drops an entry whose ttl ran out while the machine was suspended', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const cache = new FileInfoCache();
    cache.set('key', media);
    vi.advanceTimersByTime(10_000);
    vi.setSystemTime(Date.now() + 3 * HOUR); // suspended: the steady clock stood still

    expect(cache.get('key')).toBeUndefined();
  });

  it('counts a short suspend in the ttl it reports and in its expiry', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const cache = new FileInfoCache();
    cache.set('key', media);
    vi.advanceTimersByTime(10_000);
    vi.setSystemTime(Date.now() + 20_000); // 20 s suspended

    expect(cache.get('key')).toMatchObject({ file_info: 'info', ttl: 90 });
    vi.advanceTimersByTime(30_000);
    expect(cache.get('key')).toBeUndefined();
  });

  it('drops an entry after a step forward of the wall clock alone: one upload too many, never a stale file_info', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    const cache = new FileInfoCache();
    cache.set('key', media);
    vi.setSystemTime(Date.now() + HOUR);

    expect(cache.get('key')).toBeUndefined();
  });

  it('reads only the clock it is given, when one is injected', () => {
    vi.useFakeTimers({ now: 10 * HOUR });
    let now = 0;
    const cache = new FileInfoCache({ now: () => now });
    cache.set('key', media);
    vi.setSystemTime(Date.now() + 3 * HOUR);
    vi.advanceTimersByTime(HOUR);

    now = 30_000;
    expect(cache.get('key')).toMatchObject({ file_info: 'info', ttl: 90 });
    now = 60_000;
    expect(cache.get('key')).toBeUndefined();
  });
});
