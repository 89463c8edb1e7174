import { afterEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { call } from './helpers/http.js';

// `PUT /__emulator/uploads` takes `"dailyQuota": null` for "no quota"; the TypeScript API takes
// the same, so a test written against either says it one way.

describe('uploads.configure({ dailyQuota: null })', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('lifts the quota, as the control API does', async () => {
    emu = await Emulator.start();
    emu.uploads.configure({ dailyQuota: 2 });
    expect(emu.uploads.quota.limit).toBe(2);
    emu.uploads.configure({ dailyQuota: null });
    expect(emu.uploads.settings.dailyQuota).toBe(Infinity);
    expect(emu.uploads.quota).toMatchObject({ limit: null, remaining: null });

    emu.uploads.configure({ dailyQuota: 2 });
    const control = await call(emu.controlUrl, 'PUT', '/uploads', { body: { dailyQuota: null } });
    expect(control.status).toBe(200);
    expect(emu.uploads.quota).toMatchObject({ limit: null, remaining: null });
  });

  it('still refuses null for the other settings', async () => {
    emu = await Emulator.start();
    expect(() => emu?.uploads.configure({ blockSize: null as never })).toThrow(/uploads\.blockSize/);
  });
});
