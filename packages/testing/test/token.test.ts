import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator } from '@bot/testing';
import { call } from './helpers/http.js';

describe('token endpoint', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await Emulator.start({ appId: '1020', secret: 'top-secret', tokenLifetime: 7200 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await emu.stop();
  });

  const ask = (body: unknown) =>
    call<{ access_token: string; expires_in: string; code?: number }>(emu.tokenUrl, 'POST', '', { body });

  it('issues a token with expires_in as a string of seconds', async () => {
    const answer = await ask({ appId: '1020', clientSecret: 'top-secret' });
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toMatch(/^\S{20,}$/);
    expect(answer.body.expires_in).toBe('7200');
    expect(answer.headers.get('x-tps-trace-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('returns the same token until its last 60 s, then a new one while the old stays valid', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const first = await ask({ appId: '1020', clientSecret: 'top-secret' });
    vi.advanceTimersByTime(7000_000);
    const again = await ask({ appId: '1020', clientSecret: 'top-secret' });
    expect(again.body.access_token).toBe(first.body.access_token);
    expect(Number(again.body.expires_in)).toBe(200);

    vi.advanceTimersByTime(150_000);
    const renewed = await ask({ appId: '1020', clientSecret: 'top-secret' });
    expect(renewed.body.access_token).not.toBe(first.body.access_token);
    expect(renewed.body.expires_in).toBe('7200');
    const oldStillWorks = await call(emu.restUrl, 'GET', '/users/@me', { token: first.body.access_token });
    expect(oldStillWorks.status).toBe(200);

    vi.advanceTimersByTime(60_000);
    const oldExpired = await call<{ code: number }>(emu.restUrl, 'GET', '/users/@me', {
      token: first.body.access_token,
    });
    expect(oldExpired.status).toBe(401);
    expect(oldExpired.body.code).toBe(11244);
  });

  it('a wall clock stepped forward past the lifetime expires no token and renews none', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const first = await ask({ appId: '1020', clientSecret: 'top-secret' });
    vi.setSystemTime(Date.now() + 2 * 7200_000);
    const again = await ask({ appId: '1020', clientSecret: 'top-secret' });
    expect(again.body).toMatchObject({ access_token: first.body.access_token, expires_in: '7200' });
    const used = await call(emu.restUrl, 'GET', '/users/@me', { token: first.body.access_token });
    expect(used.status).toBe(200);
  });

  it('rejects wrong credentials with the platform error shape', async () => {
    const wrongSecret = await ask({ appId: '1020', clientSecret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ code: 100016, message: expect.any(String) });
    const wrongApp = await ask({ appId: '9999', clientSecret: 'top-secret' });
    expect(wrongApp.status).toBe(401);
  });

  it('answers malformed requests with 400 instead of failing', async () => {
    expect((await ask('not json')).status).toBe(400);
    expect((await ask({ appId: 1020, clientSecret: 'top-secret' })).status).toBe(400);
    expect((await call(emu.tokenUrl, 'GET', '')).status).toBe(405);
  });

  it('records every token request', async () => {
    await ask({ appId: '1020', clientSecret: 'top-secret' });
    const record = await emu.recorder.waitFor((r) => r.kind === 'token');
    expect(record).toMatchObject({ kind: 'token', appId: '1020', status: 200 });
  });
});
