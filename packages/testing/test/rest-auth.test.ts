import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { call } from './helpers/http.js';

describe('REST authentication and error shape', () => {
  let emu: Emulator;
  let token: string;
  beforeAll(async () => {
    emu = await Emulator.start();
    token = emu.createAccessToken();
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('accepts "QQBot <token>" and answers with a trace id', async () => {
    const me = await call(emu.restUrl, 'GET', '/users/@me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: emu.world.bot.id, username: 'emulator-bot' });
    expect(me.headers.get('x-tps-trace-id')).toBeTruthy();
  });

  it('rejects a missing token with 401 / 11241', async () => {
    const answer = await call(emu.restUrl, 'GET', '/users/@me', { token: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      code: 11241,
      message: expect.stringContaining('QQBot'),
      trace_id: answer.headers.get('x-tps-trace-id'),
    });
  });

  it('rejects the disabled fixed-token form with 11245', async () => {
    const answer = await call(emu.restUrl, 'GET', '/users/@me', {
      authorization: `Bot ${emu.appId}.${token}`,
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 11245 });
  });

  it('rejects unknown and expired tokens with 401 / 11244', async () => {
    const unknown = await call(emu.restUrl, 'GET', '/users/@me', { token: 'made-up-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 11244 });

    emu.faults.expireTokens();
    const expired = await call(emu.restUrl, 'GET', '/users/@me', { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 11244 });
    token = emu.createAccessToken();
    expect((await call(emu.restUrl, 'GET', '/users/@me', { token })).status).toBe(200);
  });

  it('answers unknown paths with 404 and wrong methods with 405, both with a trace id', async () => {
    const missing = await call(emu.restUrl, 'GET', '/no/such/api', { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-tps-trace-id')).toBeTruthy();
    const wrongMethod = await call(emu.restUrl, 'PUT', '/guilds/1/roles', { token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
  });

  it('answers malformed JSON bodies with 400 / 12002', async () => {
    const answer = await call(emu.restUrl, 'POST', `/guilds/${emu.world.defaults.guildId}/roles`, {
      token,
      body: '{"name":',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 12002 });
  });

  it('refuses oversized bodies with 413', async () => {
    const small = await Emulator.start({ maxBodyBytes: 64 });
    try {
      const answer = await call(small.restUrl, 'POST', `/guilds/${small.world.defaults.guildId}/roles`, {
        token: small.createAccessToken(),
        body: { name: 'x'.repeat(200) },
      });
      expect(answer.status).toBe(413);
    } finally {
      await small.stop();
    }
  });

  it('records each call with its route template and masks the credential', async () => {
    const mark = emu.recorder.mark();
    await call(emu.restUrl, 'GET', `/guilds/${emu.world.defaults.guildId}`, { token });
    const record = await emu.recorder.waitFor(
      (r) => r.kind === 'rest' && r.route === 'GET /guilds/{guild_id}',
      { from: mark },
    );
    expect(record).toMatchObject({
      method: 'GET',
      status: 200,
      params: { guild_id: emu.world.defaults.guildId },
    });
    expect(record.kind === 'rest' && record.headers['authorization']).toBe(`QQBot ${token.slice(0, 4)}…`);
    expect(JSON.stringify(record)).not.toContain(token);
  });

  it('fails a route on demand with the given status, Retry-After and count', async () => {
    const channel = emu.world.defaults.channelId;
    emu.faults.failRoute('GET /channels/{c}', { status: 429, retryAfter: 2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const limited = await call(emu.restUrl, 'GET', `/channels/${channel}`, { token });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.body).toMatchObject({ code: 22009 });
    }
    expect((await call(emu.restUrl, 'GET', `/channels/${channel}`, { token })).status).toBe(200);

    emu.faults.failRoute('GET /channels/{channel_id}', { status: 503 });
    expect((await call(emu.restUrl, 'GET', `/channels/${channel}`, { token })).status).toBe(503);
    expect(() => emu.faults.failRoute('GET /nope', { status: 500 })).toThrow(/unknown route template/);
  });
});
