import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator, Intent, SEED } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';
import { call } from './helpers/http.js';

/** Every endpoint the platform documents, as `METHOD /path` with placeholder names. */
const PROTOCOL_ENDPOINTS = [
  'GET /users/@me',
  'GET /users/@me/guilds',
  'GET /gateway',
  'GET /gateway/bot',
  'GET /guilds/{}',
  'GET /guilds/{}/channels',
  'POST /guilds/{}/channels',
  'GET /channels/{}',
  'PATCH /channels/{}',
  'DELETE /channels/{}',
  'GET /channels/{}/online_nums',
  'GET /guilds/{}/members',
  'GET /guilds/{}/roles/{}/members',
  'GET /guilds/{}/members/{}',
  'DELETE /guilds/{}/members/{}',
  'GET /guilds/{}/roles',
  'POST /guilds/{}/roles',
  'PATCH /guilds/{}/roles/{}',
  'DELETE /guilds/{}/roles/{}',
  'PUT /guilds/{}/members/{}/roles/{}',
  'DELETE /guilds/{}/members/{}/roles/{}',
  'GET /channels/{}/members/{}/permissions',
  'PUT /channels/{}/members/{}/permissions',
  'GET /channels/{}/roles/{}/permissions',
  'PUT /channels/{}/roles/{}/permissions',
  'PUT /channels/{}/permissions',
  'GET /channels/{}/messages',
  'GET /channels/{}/messages/{}',
  'POST /channels/{}/messages',
  'DELETE /channels/{}/messages/{}',
  'PATCH /channels/{}/messages/{}',
  'GET /guilds/{}/message/setting',
  'POST /users/@me/dms',
  'POST /dms/{}/messages',
  'DELETE /dms/{}/messages/{}',
  'POST /v2/groups/{}/messages',
  'POST /v2/users/{}/messages',
  'POST /v2/groups/{}/files',
  'POST /v2/users/{}/files',
  'DELETE /v2/groups/{}/messages/{}',
  'DELETE /v2/users/{}/messages/{}',
  'PATCH /guilds/{}/mute',
  'PATCH /guilds/{}/members/{}/mute',
  'POST /guilds/{}/announces',
  'DELETE /guilds/{}/announces/{}',
  'POST /channels/{}/announces',
  'DELETE /channels/{}/announces/{}',
  'GET /channels/{}/schedules',
  'POST /channels/{}/schedules',
  'GET /channels/{}/schedules/{}',
  'PATCH /channels/{}/schedules/{}',
  'DELETE /channels/{}/schedules/{}',
  'GET /guilds/{}/api_permission',
  'POST /guilds/{}/api_permission/demand',
  'GET /channels/{}/pins',
  'PUT /channels/{}/pins/{}',
  'DELETE /channels/{}/pins/{}',
  'PUT /channels/{}/messages/{}/reactions/{}/{}',
  'DELETE /channels/{}/messages/{}/reactions/{}/{}',
  'GET /channels/{}/messages/{}/reactions/{}/{}',
  'GET /channels/{}/threads',
  'PUT /channels/{}/threads',
  'GET /channels/{}/threads/{}',
  'DELETE /channels/{}/threads/{}',
  'POST /channels/{}/audio',
  'PUT /channels/{}/mic',
  'DELETE /channels/{}/mic',
  'GET /channels/{}/voice/members',
  'PUT /interactions/{}',
  'POST /channels/{}/settingguide',
  'POST /dms/{}/settingguide',
];

describe('REST resources', () => {
  let emu: Emulator;
  let token: string;
  const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    call<T>(emu.restUrl, method, path, { token, ...(body !== undefined ? { body } : {}) });
  const [hall, lounge] = SEED.guilds;

  beforeAll(async () => {
    emu = await Emulator.start({ grantedIntents: 'all', identifyWindow: 0 });
    token = emu.createAccessToken();
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('serves every endpoint of the protocol reference', () => {
    const served = new Set(emu.routes().map((r) => r.replace(/\{[^}]*\}/g, '{}')));
    expect(PROTOCOL_ENDPOINTS.filter((e) => !served.has(e))).toEqual([]);
  });

  it("pages the bot's guilds with before/after/limit", async () => {
    const all = await api<Array<{ id: string }>>('GET', '/users/@me/guilds');
    expect(all.body.map((g) => g.id)).toEqual([...SEED.guilds]);
    expect(
      (await api<Array<{ id: string }>>('GET', `/users/@me/guilds?after=${hall}&limit=2`)).body.map(
        (g) => g.id,
      ),
    ).toEqual([lounge, SEED.guilds[2]]);
    expect(
      (
        await api<Array<{ id: string }>>('GET', `/users/@me/guilds?before=${SEED.guilds[3]}&limit=1`)
      ).body.map((g) => g.id),
    ).toEqual([SEED.guilds[2]]);
    expect((await api('GET', '/users/@me/guilds?limit=101')).status).toBe(400);
  });

  it('creates, updates and deletes channels, emitting CHANNEL_* events', async () => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    await client.identify(token, Intent.GUILDS);
    const created = await api<{ id: string; name: string }>('POST', `/guilds/${hall}/channels`, {
      name: 'new-room',
      type: 0,
    });
    expect(created.body).toMatchObject({ guild_id: hall, name: 'new-room', owner_id: emu.world.bot.id });
    expect((await client.dispatch('CHANNEL_CREATE')).d).toMatchObject({
      id: created.body.id,
      op_user_id: emu.world.bot.id,
    });
    const patched = await api('PATCH', `/channels/${created.body.id}`, { name: 'renamed' });
    expect(patched.body).toMatchObject({ name: 'renamed' });
    await client.dispatch('CHANNEL_UPDATE');
    expect((await api('DELETE', `/channels/${created.body.id}`)).status).toBe(200);
    await client.dispatch('CHANNEL_DELETE');
    expect((await api('GET', `/channels/${created.body.id}`)).body).toMatchObject({ code: 10003 });
    expect((await api('POST', `/guilds/${hall}/channels`, { name: 'bad', type: 3 })).status).toBe(400);
    await client.close();
  });

  it('lists members with after/limit and validates the limit', async () => {
    const page = await api<Array<{ user: { id: string } }>>('GET', `/guilds/${hall}/members?limit=2`);
    expect(page.body).toHaveLength(2);
    const next = await api<Array<{ user: { id: string } }>>(
      'GET',
      `/guilds/${hall}/members?limit=400&after=${page.body[1]?.user.id ?? ''}`,
    );
    expect(next.body.map((m) => m.user.id)).not.toContain(page.body[0]?.user.id);
    expect((await api('GET', `/guilds/${hall}/members?limit=401`)).status).toBe(400);
    expect((await api('GET', `/guilds/${hall}/members/${SEED.users.alice}`)).body).toMatchObject({
      nick: 'Alice',
      roles: ['4'],
    });
    expect((await api('GET', `/guilds/${hall}/members/${SEED.users.dave}`)).status).toBe(404);
  });

  it('manages roles and role membership, refusing to edit system roles', async () => {
    const created = await api<{ role_id: string; role: { name: string } }>('POST', `/guilds/${hall}/roles`, {
      name: 'Helpers',
      color: 4278190335,
      hoist: 1,
    });
    expect(created.body.role).toMatchObject({ name: 'Helpers', hoist: 1 });
    const roleId = created.body.role_id;
    expect((await api('PATCH', `/guilds/${hall}/roles/${roleId}`, { name: 'Helpers+' })).body).toMatchObject({
      role: { name: 'Helpers+' },
    });
    expect((await api('PUT', `/guilds/${hall}/members/${SEED.users.carol}/roles/${roleId}`)).status).toBe(
      204,
    );
    const holders = await api<{ data: Array<{ user: { id: string } }> }>(
      'GET',
      `/guilds/${hall}/roles/${roleId}/members?start_index=0&limit=10`,
    );
    expect(holders.body.data.map((m) => m.user.id)).toEqual([SEED.users.carol]);
    expect((await api('PUT', `/guilds/${hall}/members/${SEED.users.carol}/roles/5`)).status).toBe(400);
    expect(
      (
        await api('PUT', `/guilds/${hall}/members/${SEED.users.carol}/roles/5`, {
          channel: { id: SEED.channels.hallGeneral },
        })
      ).status,
    ).toBe(204);
    expect((await api('PATCH', `/guilds/${hall}/roles/4`, { name: 'Boss' })).status).toBe(400);
    expect((await api('DELETE', `/guilds/${hall}/roles/${roleId}`)).status).toBe(204);
    expect((await api('GET', `/guilds/${hall}/members/${SEED.users.carol}`)).body).toMatchObject({
      roles: ['1', '5'],
    });
  });

  it('updates channel permissions with add/remove bit strings', async () => {
    const path = `/channels/${SEED.channels.hallGeneral}/members/${SEED.users.bob}/permissions`;
    expect((await api('PUT', path, { add: '7' })).status).toBe(204);
    expect((await api('PUT', path, { remove: '2' })).status).toBe(204);
    expect((await api('GET', path)).body).toEqual({
      channel_id: SEED.channels.hallGeneral,
      user_id: SEED.users.bob,
      permissions: '5',
    });
    expect((await api('PUT', path, { add: '16' })).body).toMatchObject({ code: 301000 });
  });

  it('opens a DM session once and replies to a DM', async () => {
    const opened = await api<{ guild_id: string }>('POST', '/users/@me/dms', {
      recipient_id: SEED.users.bob,
      source_guild_id: hall,
    });
    const again = await api<{ guild_id: string }>('POST', '/users/@me/dms', {
      recipient_id: SEED.users.bob,
      source_guild_id: hall,
    });
    expect(again.body).toEqual(opened.body);
    const inbound = emu.simulate.directMessage({ dmGuildId: opened.body.guild_id, content: 'psst' });
    expect(inbound.d).toMatchObject({
      direct_message: true,
      src_guild_id: hall,
      author: { id: SEED.users.bob },
    });
    const reply = await api('POST', `/dms/${opened.body.guild_id}/messages`, {
      content: 'hello Bob',
      msg_id: inbound.d.id,
    });
    expect(reply.body).toMatchObject({
      direct_message: true,
      guild_id: opened.body.guild_id,
      content: 'hello Bob',
    });
    expect(
      (await api('POST', '/users/@me/dms', { recipient_id: SEED.users.dave, source_guild_id: hall })).status,
    ).toBe(404);
  });

  it('pins, reacts and announces on stored messages', async () => {
    const inbound = emu.simulate.guildAtMessage({ content: 'pin me' });
    const channel = SEED.channels.hallGeneral;
    expect((await api('PUT', `/channels/${channel}/pins/${inbound.d.id}`)).body).toMatchObject({
      message_ids: [inbound.d.id],
    });
    expect((await api('DELETE', `/channels/${channel}/pins/all`)).status).toBe(204);
    const reaction = `/channels/${channel}/messages/${inbound.d.id}/reactions/1/4`;
    expect((await api('PUT', reaction)).status).toBe(204);
    expect((await api('PUT', reaction)).body).toMatchObject({ code: 620003 });
    emu.simulate.reactionAdd({ messageId: inbound.d.id, userId: SEED.users.bob });
    const users = await api<{ users: Array<{ id: string }>; is_end: boolean }>('GET', `${reaction}?limit=1`);
    expect(users.body).toMatchObject({ users: [{ id: emu.world.bot.id }], is_end: false });
    expect((await api('DELETE', reaction)).status).toBe(204);
    expect(
      (await api('PUT', `/channels/${channel}/messages/${inbound.d.id}/reactions/3/4`)).body,
    ).toMatchObject({ code: 620001 });
    expect(
      (await api('POST', `/channels/${channel}/announces`, { message_id: inbound.d.id })).body,
    ).toMatchObject({ message_id: inbound.d.id });
    expect((await api('POST', `/guilds/${hall}/announces`, {})).body).toMatchObject({ code: 501001 });
  });

  it('validates schedules and mutes', async () => {
    const channel = SEED.channels.hallGeneral;
    const start = Date.now() + 3600_000;
    const schedule = {
      name: 'Exam',
      start_timestamp: String(start),
      end_timestamp: String(start + 3600_000),
      remind_type: '1',
      jump_channel_id: '0',
    };
    const created = await api<{ id: string }>('POST', `/channels/${channel}/schedules`, { schedule });
    expect(created.body).toMatchObject({ name: 'Exam', remind_type: '1' });
    expect(
      (
        await api('PATCH', `/channels/${channel}/schedules/${created.body.id}`, {
          schedule: { name: 'Final exam' },
        })
      ).body,
    ).toMatchObject({ name: 'Final exam' });
    expect(
      (
        await api('POST', `/channels/${channel}/schedules`, {
          schedule: { ...schedule, end_timestamp: String(start - 1) },
        })
      ).body,
    ).toMatchObject({ code: 302016 });
    expect((await api('DELETE', `/channels/${channel}/schedules/${created.body.id}`)).status).toBe(204);
    expect((await api('GET', `/channels/${channel}/schedules/${created.body.id}`)).status).toBe(404);

    expect(
      (await api('PATCH', `/guilds/${hall}/members/${SEED.users.bob}/mute`, { mute_seconds: '60' })).status,
    ).toBe(204);
    expect(
      (
        await api('PATCH', `/guilds/${hall}/mute`, {
          mute_seconds: '60',
          user_ids: [SEED.users.bob, SEED.users.carol],
        })
      ).body,
    ).toEqual({ user_ids: [SEED.users.bob, SEED.users.carol] });
    expect((await api('PATCH', `/guilds/${hall}/mute`, { mute_seconds: 60 })).status).toBe(400);
    expect((await api('PATCH', `/guilds/${hall}/mute`, {})).body).toMatchObject({ code: 502005 });
  });

  it('acknowledges interactions with a code 0-5', async () => {
    const click = emu.simulate.interaction({ scene: 'c2c', buttonId: 'ok', allowUnsentButton: true });
    expect((await api('PUT', `/interactions/${click.d.id}`, { code: 0 })).status).toBe(204);
    expect((await api('PUT', `/interactions/${click.d.id}`, { code: 9 })).status).toBe(400);
    expect((await api('PUT', '/interactions/unknown', { code: 0 })).status).toBe(404);
  });

  it('handles forum threads, voice control and API permission requests', async () => {
    const forum = SEED.channels.hallForum;
    const posted = await api('PUT', `/channels/${forum}/threads`, {
      title: 'Welcome',
      content: 'Say hi',
      format: 1,
    });
    expect(posted.body).toEqual({ task_id: expect.any(String), create_time: expect.any(String) });
    const threads = await api<{ threads: Array<{ thread_info: { thread_id: string; title: string } }> }>(
      'GET',
      `/channels/${forum}/threads`,
    );
    expect(threads.body.threads[0]?.thread_info.title).toBe('Welcome');
    expect(
      (await api('PUT', `/channels/${SEED.channels.hallGeneral}/threads`, { title: 't', content: 'c' }))
        .status,
    ).toBe(400);

    const voice = SEED.channels.hallVoice;
    expect(
      (await api('POST', `/channels/${voice}/audio`, { status: 0, audio_url: 'https://example.com/a.mp3' }))
        .status,
    ).toBe(200);
    expect((await api('POST', `/channels/${voice}/audio`, { status: 0 })).status).toBe(400);
    emu.simulate.voiceEnter({ channelId: voice, userId: SEED.users.carol });
    expect(
      (await api<Array<{ user: { id: string } }>>('GET', `/channels/${voice}/voice/members`)).body.map(
        (m) => m.user.id,
      ),
    ).toEqual([SEED.users.carol]);

    const demand = await api('POST', `/guilds/${hall}/api_permission/demand`, {
      channel_id: SEED.channels.hallGeneral,
      api_identify: { path: '/guilds/{guild_id}/mute', method: 'PATCH' },
      desc: 'mute trolls',
    });
    expect(demand.body).toMatchObject({
      guild_id: hall,
      api_identify: { path: '/guilds/{guild_id}/mute', method: 'PATCH' },
    });
    expect(
      (
        await api('POST', `/guilds/${hall}/api_permission/demand`, {
          channel_id: SEED.channels.hallGeneral,
          api_identify: { path: '/nope', method: 'GET' },
        })
      ).status,
    ).toBe(400);
  });

  it('removes a member and emits GUILD_MEMBER_REMOVE', async () => {
    const client = await GatewayClient.connect(emu.gatewayUrl);
    await client.identify(token, Intent.GUILD_MEMBERS);
    const joined = emu.simulate.memberJoin({ username: 'Newbie' });
    await client.dispatch('GUILD_MEMBER_ADD');
    const userId = joined.d.user?.id ?? '';
    expect(
      (
        await api('DELETE', `/guilds/${hall}/members/${userId}`, {
          add_blacklist: false,
          delete_history_msg_days: 4,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('DELETE', `/guilds/${hall}/members/${userId}`, {
          add_blacklist: true,
          delete_history_msg_days: 7,
        })
      ).status,
    ).toBe(204);
    expect((await client.dispatch('GUILD_MEMBER_REMOVE')).d).toMatchObject({
      user: { id: userId },
      op_user_id: emu.world.bot.id,
    });
    await client.close();
  });
});
