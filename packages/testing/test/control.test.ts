import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator, Intent } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';

describe('HTTP control API', () => {
  let emu: Emulator;
  const control = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    call<T>(emu.controlUrl, method, path, body !== undefined ? { body } : {});

  beforeAll(async () => {
    emu = await Emulator.start({ identifyWindow: 0, grantedIntents: 'all' });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('describes the emulator and lists simulations and faults', async () => {
    const root = await control<{ restUrl: string; simulations: string[]; faults: string[] }>('GET', '');
    expect(root.body.restUrl).toBe(emu.restUrl);
    expect(root.body.simulations).toContain('groupAtMessage');
    expect(root.body.faults).toContain('closeShard');
    expect((await control('GET', '/info')).body).toEqual(emu.info());
    const world = await control<{ defaults: { groupOpenid: string }; groups: unknown[] }>('GET', '/world');
    expect(world.body.defaults.groupOpenid).toBe(emu.world.defaults.groupOpenid);
    expect(world.body.groups).toHaveLength(2);
  });

  it('sets the webhook callback URL and clears it with null or an empty string', async () => {
    const callback = 'http://127.0.0.1:9/callback';
    for (const cleared of [null, '']) {
      const set = await control<{ url: string | null }>('PUT', '/webhook', {
        url: callback,
        validate: false,
      });
      expect(set.body.url).toBe(callback);
      const clear = await control<{ url: string | null }>('PUT', '/webhook', { url: cleared });
      expect(clear.status).toBe(200);
      expect(clear.body.url).toBeNull();
      expect((await control<{ url: string | null }>('GET', '/webhook')).body.url).toBeNull();
    }
  });

  it('simulates a user over HTTP and lets any bot reply with a token from /token', async () => {
    const { body } = await control<{ access_token: string }>('POST', '/token');
    const event = await control<{ id: string; t: string; d: { id: string } }>(
      'POST',
      '/simulate/groupAtMessage',
      { content: 'from curl' },
    );
    expect(event.body.t).toBe('GROUP_AT_MESSAGE_CREATE');
    const reply = await call(emu.restUrl, 'POST', `/v2/groups/${emu.world.defaults.groupOpenid}/messages`, {
      token: body.access_token,
      body: { msg_type: 0, content: 'pong', msg_id: event.body.d.id },
    });
    expect(reply.status).toBe(200);
    const seen = await control<{ kind: string; route: string; status: number }>('POST', '/records/wait', {
      kind: 'rest',
      route: 'POST /v2/groups/{group_openid}/messages',
      timeout: 2000,
    });
    expect(seen.body).toMatchObject({ kind: 'rest', status: 200 });
    const listed = await control<unknown[]>('GET', '/records?kind=rest&status=200');
    expect(listed.body.length).toBeGreaterThan(0);
  });

  it('runs the guild, member and recall simulations over HTTP with the TS option names', async () => {
    type Published = { t: string; d: Record<string, unknown> };
    const created = await control<Published>('POST', '/simulate/guildCreate', { name: 'Over HTTP' });
    expect(created.body).toMatchObject({ t: 'GUILD_CREATE', d: { name: 'Over HTTP' } });
    const guildId = String(created.body.d['id']);
    const renamed = await control<Published>('POST', '/simulate/guildUpdate', { guildId, name: 'Renamed' });
    expect(renamed.body).toMatchObject({ t: 'GUILD_UPDATE', d: { name: 'Renamed' } });
    expect((await control<Published>('POST', '/simulate/guildDelete', { guildId })).body.t).toBe(
      'GUILD_DELETE',
    );
    const member = await control<Published>('POST', '/simulate/memberUpdate', {
      userId: emu.world.defaults.userId,
      roles: ['4'],
      nick: 'Alice',
    });
    expect(member.body).toMatchObject({ t: 'GUILD_MEMBER_UPDATE', d: { nick: 'Alice', roles: ['4'] } });
    expect((await control('POST', '/simulate/memberUpdate', { userId: 'x', roles: [4] })).body).toMatchObject(
      {
        error: expect.stringContaining('roles'),
      },
    );
    const message = emu.simulate.guildMessage({ content: 'to recall' });
    const recalled = await control<Published>('POST', '/simulate/messageDelete', { messageId: message.d.id });
    expect(recalled.body.t).toBe('MESSAGE_DELETE');
  });

  it('injects faults over HTTP', async () => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    await client.identify(emu.createAccessToken(), Intent.GUILDS);
    expect((await control('POST', '/faults/closeShard', { shard: 0, code: 4009 })).body).toEqual({
      affected: 1,
    });
    expect((await client.closed).code).toBe(4009);
    expect(
      (await control('POST', '/faults/failRoute', { route: 'GET /users/@me', status: 500 })).status,
    ).toBe(200);
    expect((await call(emu.restUrl, 'GET', '/users/@me', { token: emu.createAccessToken() })).status).toBe(
      500,
    );
    expect((await control('POST', '/faults/reset')).status).toBe(200);
  });

  it('chooses how disallowed intents are refused over HTTP: op 9 with refuseDisallowedIntentsWith, 4014 again after reset', async () => {
    const granted = emu.grantedIntents;
    await control('PUT', '/intents', { granted: Intent.GUILDS });
    const identifyAll = async (): Promise<GatewayClient> => {
      const client = await GatewayClient.connect(emu.gatewayUrl);
      await client.next((f) => f.op === 10);
      client.send({
        op: 2,
        d: { token: `QQBot ${emu.createAccessToken()}`, intents: Intent.GROUP_AND_C2C_EVENT, shard: [0, 1] },
      });
      return client;
    };
    try {
      expect(
        (await control('POST', '/faults/refuseDisallowedIntentsWith', { answer: 'invalidSession' })).status,
      ).toBe(200);
      const refused = await identifyAll();
      expect(await refused.next((f) => f.op === 9)).toEqual({ op: 9, d: false });
      await refused.close();

      expect(
        (await control('POST', '/faults/refuseDisallowedIntentsWith', { answer: 'reboot' })).body,
      ).toEqual({
        error: 'field "answer" must be "close" or "invalidSession", got "reboot"',
      });
      expect((await control('POST', '/faults/reset')).status).toBe(200);
      expect((await (await identifyAll()).closed).code).toBe(4014);
    } finally {
      await control('POST', '/faults/reset');
      await control('PUT', '/intents', { granted });
    }
  });

  it('holds at most 1,000 armed route failures, answering 400 past that until a reset', async () => {
    try {
      for (let armed = 0; armed < 1000; armed++) emu.faults.failRoute('GET /users/@me', { status: 500 });
      const full = await control('POST', '/faults/failRoute', { route: 'GET /users/@me', status: 500 });
      expect(full.status).toBe(400);
      expect(full.body).toEqual({
        error: '1000 route failures are armed, the most at once: let some be used or reset the faults',
      });
      await control('POST', '/faults/reset');
      expect(
        (await control('POST', '/faults/failRoute', { route: 'GET /users/@me', status: 500 })).status,
      ).toBe(200);
    } finally {
      await control('POST', '/faults/reset');
    }
  });

  it('injects a route failure that lets the call take effect first (afterHandling) over HTTP', async () => {
    const groupOpenid = emu.world.defaults.groupOpenid;
    const event = await control<{ d: { id: string } }>('POST', '/simulate/groupAtMessage', { content: 'hi' });
    expect(
      (
        await control('POST', '/faults/failRoute', {
          route: 'POST /v2/groups/{group_openid}/messages',
          status: 500,
          afterHandling: true,
        })
      ).status,
    ).toBe(200);
    const send = () =>
      call<{ code?: number }>(emu.restUrl, 'POST', `/v2/groups/${groupOpenid}/messages`, {
        token: emu.createAccessToken(),
        body: { msg_type: 0, content: 'landed', msg_id: event.body.d.id, msg_seq: 1 },
      });
    expect((await send()).status).toBe(500);
    // The first send took effect: the same msg_seq again is refused as a duplicate.
    expect((await send()).body.code).toBe(40054005);
    const posted = emu.world.messages
      .inConversation('group', groupOpenid)
      .filter((m) => m.fromBot && m.content === 'landed');
    expect(posted).toHaveLength(1);
  });

  it('switches audit mode, intents and the session budget', async () => {
    expect((await control('PUT', '/audit', { enabled: true })).body).toEqual({ enabled: true });
    expect(emu.auditMode).toBe(true);
    await control('PUT', '/audit', { enabled: false });
    expect((await control('PUT', '/intents', { granted: Intent.GUILDS })).body).toEqual({
      granted: Intent.GUILDS,
    });
    expect(emu.grantedIntents).toBe(Intent.GUILDS);
    expect(
      (await control<{ remaining: number }>('PUT', '/session-limit', { remaining: 3 })).body.remaining,
    ).toBe(3);
  });

  it('answers bad input with 400 and a message naming the problem', async () => {
    expect((await control('POST', '/simulate/groupAtMessage', { content: 5 })).body).toEqual({
      error: 'field "content" must be a string',
    });
    expect((await control('POST', '/simulate/groupAtMessage', { content: 'x', colour: 'red' })).status).toBe(
      400,
    );
    expect((await control('POST', '/simulate/noSuchThing', {})).body).toMatchObject({
      error: expect.stringContaining('unknown simulation'),
    });
    expect((await control('POST', '/simulate/constructor', {})).status).toBe(400);
    expect(
      (await control('POST', '/simulate/groupAtMessage', { content: 'x', groupOpenid: 'nope' })).body,
    ).toEqual({ error: 'unknown group nope' });
    expect((await control('POST', '/faults/closeShard', { shard: 0, code: 1006 })).status).toBe(400);
    expect((await control('POST', '/faults/closeShard', '{"shard":')).status).toBe(400);
    expect((await control('GET', '/nothing-here')).status).toBe(404);
    expect(
      (await control('POST', '/records/wait', { kind: 'close', connectionId: 999, timeout: 50 })).status,
    ).toBe(408);
  });
});
