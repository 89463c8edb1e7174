import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AnnouncesType,
  AudioStatus,
  ChannelType,
  EmojiType,
  InteractionAckCode,
  MediaFileType,
  MessageParams,
  OpenMessageParams,
  PendingAudit,
  Routes,
  ThreadFormat,
  type BotApi,
  type HttpMethod,
  type RestClient,
} from '@bot/http';
import { connectApi, jsonBody, startApiServer, type ApiServer } from './support/apiServer.js';
import {
  announce,
  auditAnswer,
  channel,
  gatewayBot,
  guild,
  member,
  message,
  messageSetting,
  openResult,
  pins,
  role,
  schedule,
  thread,
  upload,
  user,
} from './support/samples.js';

/** What must reach the platform for one call, and what the caller gets back. */
interface Expectation {
  query?: Record<string, string>;
  /** Expected JSON body; the request must have none when omitted (and `form` is not set). */
  body?: unknown;
  /** Expected multipart form: text fields and file parts. */
  form?: {
    fields: Record<string, string>;
    files: Record<string, { name: string; type: string; bytes: number[] }>;
  };
  headers?: Record<string, string>;
  /** Answer status; 200 with a `reply`, 204 without. */
  status?: number;
  /** Answer body; the call must resolve to it unless `result` is given, or to `undefined` without it. */
  reply?: unknown;
  result?: unknown;
}

/** One row per endpoint call. */
interface EndpointRow extends Expectation {
  title: string;
  method: HttpMethod;
  path: string;
  call: (api: BotApi) => Promise<unknown>;
}

/**
 * A table row: `route` is the request that must arrive (`'PATCH /channels/c1'`); the call's own
 * source names the test, so each title reads as "request ← call".
 */
function row(
  route: string,
  call: (api: BotApi) => Promise<unknown>,
  expectation: Expectation = {},
): EndpointRow {
  const [method, path] = route.split(' ') as [HttpMethod, string];
  const source = call
    .toString()
    .replace(/^\(?api\)? => api\./, '')
    .replace(/__vite_ssr_import_\d+__\./g, '') // the test runner's module rewriting
    .replace(/\s+/g, ' ');
  return { title: `${route} ← ${source}`, method, path, call, ...expectation };
}

const keyboard = { id: 'kb1' };
const png = [0x89, 0x50, 0x4e, 0x47];
const imageUrl = 'https://example.test/i.png';
const newChannel = { name: 'general', type: ChannelType.Text, position: 1, parent_id: 'p1' };
const removal = { add_blacklist: true, delete_history_msg_days: -1 } as const;
const roleFields = { name: 'mods', color: 4278245297, hoist: 1 } as const;
const markdownBody = { markdown: { content: '# hi' }, keyboard, event_id: 'e1' };
const dmSession = { recipient_id: 'u1', source_guild_id: 'g1' };
const imageUpload = { file_type: MediaFileType.Image, url: imageUrl, srv_send_msg: false };
const voiceUpload = { file_type: MediaFileType.Voice, file_data: 'c2lsaw==' };
const mediaBody = { msg_type: 7, media: { file_info: 'fi1' }, msg_id: 'gm1' } as const;
const muteMany = { user_ids: ['u1', 'u2'], mute_end_timestamp: '1700000000' };
const recommended = {
  announces_type: AnnouncesType.Welcome,
  recommend_channels: [{ channel_id: 'c1', introduce: 'hi' }],
};
const demand = {
  channel_id: 'c1',
  api_identify: { path: '/guilds/{guild_id}', method: 'GET' },
  desc: 'show guild info',
};
const newThread = { title: 'Hello', content: '# World', format: ThreadFormat.Markdown };
const playback = { status: AudioStatus.Start, audio_url: 'https://example.test/a.mp3', text: 'song' };
const systemEmoji = { type: EmojiType.System, id: '4' };

const rows: EndpointRow[] = [
  // users and gateway
  row('GET /users/@me', (api) => api.users.me(), { reply: user }),
  row('GET /users/@me/guilds', (api) => api.users.guilds({ after: 'g0', limit: 50 }), {
    query: { after: 'g0', limit: '50' },
    reply: [guild],
  }),
  row('GET /users/@me/guilds', (api) => api.users.guilds({ before: 'g9' }), {
    query: { before: 'g9' },
    reply: [guild],
  }),
  row('GET /gateway', (api) => api.gateway.get(), { reply: { url: 'wss://gw.test' } }),
  row('GET /gateway/bot', (api) => api.gateway.getBot(), { reply: gatewayBot }),
  // guilds and channels
  row('GET /guilds/g1', (api) => api.guilds.get('g1'), { reply: guild }),
  row('GET /guilds/g1/message/setting', (api) => api.guilds.getMessageSetting('g1'), {
    reply: messageSetting,
  }),
  row('GET /guilds/g1/channels', (api) => api.channels.list('g1'), { reply: [channel] }),
  row('GET /channels/c1', (api) => api.channels.get('c1'), { reply: channel }),
  row('POST /guilds/g1/channels', (api) => api.channels.create('g1', newChannel), {
    body: newChannel,
    reply: channel,
  }),
  row('PATCH /channels/c1', (api) => api.channels.update('c1', { name: 'x' }), {
    body: { name: 'x' },
    reply: channel,
  }),
  row('DELETE /channels/c1', (api) => api.channels.delete('c1')),
  row('GET /channels/c1/online_nums', (api) => api.channels.getOnlineCount('c1'), {
    reply: { online_nums: 4 },
  }),
  // members
  row('GET /guilds/g1/members', (api) => api.members.list('g1', { after: '0', limit: 400 }), {
    query: { after: '0', limit: '400' },
    reply: [member],
  }),
  row(
    'GET /guilds/g1/roles/r1/members',
    (api) => api.members.listByRole('g1', 'r1', { start_index: '0', limit: 2 }),
    {
      query: { start_index: '0', limit: '2' },
      reply: { data: [member], next: '7' },
    },
  ),
  row('GET /guilds/g1/members/u1', (api) => api.members.get('g1', 'u1'), { reply: member }),
  row('DELETE /guilds/g1/members/u1', (api) => api.members.remove('g1', 'u1', removal), { body: removal }),
  row('DELETE /guilds/g1/members/u1', (api) => api.members.remove('g1', 'u1')),
  // roles
  row('GET /guilds/g1/roles', (api) => api.roles.list('g1'), {
    reply: { guild_id: 'g1', roles: [role], role_num_limit: '32' },
  }),
  row('POST /guilds/g1/roles', (api) => api.roles.create('g1', roleFields), {
    body: roleFields,
    reply: { role_id: 'r1', role },
  }),
  row('PATCH /guilds/g1/roles/r1', (api) => api.roles.update('g1', 'r1', roleFields), {
    body: roleFields,
    reply: { guild_id: 'g1', role_id: 'r1', role },
  }),
  row('DELETE /guilds/g1/roles/r1', (api) => api.roles.delete('g1', 'r1')),
  row('PUT /guilds/g1/members/u1/roles/5', (api) => api.roles.addMember('g1', 'u1', '5', 'c1'), {
    body: { channel: { id: 'c1' } },
  }),
  row('PUT /guilds/g1/members/u1/roles/r1', (api) => api.roles.addMember('g1', 'u1', 'r1'), { body: {} }),
  row('DELETE /guilds/g1/members/u1/roles/5', (api) => api.roles.removeMember('g1', 'u1', '5', 'c1'), {
    body: { channel: { id: 'c1' } },
  }),
  // channel permissions
  row('GET /channels/c1/members/u1/permissions', (api) => api.permissions.getForMember('c1', 'u1'), {
    reply: { channel_id: 'c1', user_id: 'u1', permissions: '7' },
  }),
  row(
    'PUT /channels/c1/members/u1/permissions',
    (api) => api.permissions.updateForMember('c1', 'u1', { add: '4', remove: '1' }),
    {
      body: { add: '4', remove: '1' },
    },
  ),
  row('GET /channels/c1/roles/r1/permissions', (api) => api.permissions.getForRole('c1', 'r1'), {
    reply: { channel_id: 'c1', role_id: 'r1', permissions: '1' },
  }),
  row(
    'PUT /channels/c1/roles/r1/permissions',
    (api) => api.permissions.updateForRole('c1', 'r1', { add: '2' }),
    {
      body: { add: '2' },
    },
  ),
  // guild channel messages
  row('GET /channels/c1/messages/m1', (api) => api.messages.get('c1', 'm1'), {
    reply: { message },
    result: message,
  }),
  row('GET /channels/c1/messages/m1', (api) => api.messages.get('c1', 'm1'), { reply: message }),
  row(
    'POST /channels/c1/messages',
    (api) => api.messages.send('c1', MessageParams.text('Pong!').withReply('m0')),
    {
      body: { content: 'Pong!', msg_id: 'm0' },
      reply: message,
    },
  ),
  row('POST /channels/c1/messages', (api) => api.messages.send('c1', markdownBody), {
    body: markdownBody,
    reply: message,
  }),
  row('POST /channels/c1/messages', (api) => api.messages.send('c1', MessageParams.image(imageUrl)), {
    body: { image: imageUrl },
    status: 202,
    reply: auditAnswer,
    result: expect.objectContaining({ pendingAudit: true, auditId: 'a1', code: 304023 }),
  }),
  row(
    'POST /channels/c1/messages',
    (api) =>
      api.messages.send(
        'c1',
        MessageParams.fileImage({ name: 'chart.png', data: new Uint8Array(png), contentType: 'image/png' })
          .withContent('look')
          .withReply('m0')
          .withReference('m0'),
      ),
    {
      form: {
        fields: { content: 'look', msg_id: 'm0', message_reference: JSON.stringify({ message_id: 'm0' }) },
        files: { file_image: { name: 'chart.png', type: 'image/png', bytes: png } },
      },
      reply: message,
    },
  ),
  row(
    'PATCH /channels/c1/messages/m1',
    (api) => api.messages.edit('c1', 'm1', MessageParams.markdown('# v2').withKeyboard(keyboard)),
    {
      body: { markdown: { content: '# v2' }, keyboard },
      reply: message,
    },
  ),
  row('DELETE /channels/c1/messages/m1', (api) => api.messages.recall('c1', 'm1', { hidetip: true }), {
    query: { hidetip: 'true' },
  }),
  row('DELETE /channels/c1/messages/m1', (api) => api.messages.recall('c1', 'm1')),
  // DMs
  row('POST /users/@me/dms', (api) => api.dms.createSession(dmSession), {
    body: dmSession,
    reply: { guild_id: 'dg1', channel_id: 'dc1', create_time: '1700000000' },
  }),
  row('POST /dms/dg1/messages', (api) => api.dms.send('dg1', MessageParams.text('hello').withReply('m0')), {
    body: { content: 'hello', msg_id: 'm0' },
    reply: { ...message, guild_id: 'dg1', direct_message: true },
  }),
  row('DELETE /dms/dg1/messages/m1', (api) => api.dms.recall('dg1', 'm1', { hidetip: false }), {
    query: { hidetip: 'false' },
  }),
  // groups and C2C
  row(
    'POST /v2/groups/G1/messages',
    (api) => api.groups.send('G1', OpenMessageParams.text('Pong!').withReply('gm1').withMsgSeq(2)),
    {
      body: { msg_type: 0, content: 'Pong!', msg_id: 'gm1', msg_seq: 2 },
      reply: openResult,
    },
  ),
  row('POST /v2/groups/G1/messages', (api) => api.groups.send('G1', mediaBody), {
    body: { ...mediaBody, content: ' ' },
    reply: openResult,
  }),
  row('POST /v2/groups/G1/files', (api) => api.groups.upload('G1', imageUpload), {
    body: imageUpload,
    reply: upload,
  }),
  row('DELETE /v2/groups/G1/messages/gm2', (api) => api.groups.recall('G1', 'gm2')),
  row(
    'POST /v2/users/U1/messages',
    (api) => api.c2c.send('U1', OpenMessageParams.markdown('**hi**').withEventId('e1')),
    {
      body: { msg_type: 2, markdown: { content: '**hi**' }, event_id: 'e1' },
      reply: openResult,
    },
  ),
  row('POST /v2/users/U1/files', (api) => api.c2c.upload('U1', voiceUpload), {
    body: voiceUpload,
    reply: upload,
  }),
  row('DELETE /v2/users/U1/messages/um1', (api) => api.c2c.recall('U1', 'um1')),
  // mutes
  row('PATCH /guilds/g1/mute', (api) => api.mutes.muteGuild('g1', { mute_seconds: '600' }), {
    body: { mute_seconds: '600' },
  }),
  row('PATCH /guilds/g1/mute', (api) => api.mutes.muteMembers('g1', muteMany), {
    body: muteMany,
    reply: { user_ids: ['u1', 'u2'] },
  }),
  row('PATCH /guilds/g1/members/u1/mute', (api) => api.mutes.muteMember('g1', 'u1', { mute_seconds: '0' }), {
    body: { mute_seconds: '0' },
  }),
  // announcements
  row(
    'POST /guilds/g1/announces',
    (api) => api.announces.createForGuild('g1', { message_id: 'm1', channel_id: 'c1' }),
    {
      body: { message_id: 'm1', channel_id: 'c1' },
      reply: announce,
    },
  ),
  row('POST /guilds/g1/announces', (api) => api.announces.createForGuild('g1', recommended), {
    body: recommended,
    reply: { ...announce, ...recommended, message_id: '' },
  }),
  row('DELETE /guilds/g1/announces/all', (api) => api.announces.deleteForGuild('g1')),
  row('POST /channels/c1/announces', (api) => api.announces.createForChannel('c1', 'm1'), {
    body: { message_id: 'm1' },
    reply: announce,
  }),
  row('DELETE /channels/c1/announces/m1', (api) => api.announces.deleteForChannel('c1', 'm1')),
  // schedules
  row('GET /channels/c1/schedules', (api) => api.schedules.list('c1', { since: '1700000000000' }), {
    query: { since: '1700000000000' },
    reply: [{ id: 's1', ...schedule }],
  }),
  row('GET /channels/c1/schedules/s1', (api) => api.schedules.get('c1', 's1'), {
    reply: { id: 's1', ...schedule },
  }),
  row('POST /channels/c1/schedules', (api) => api.schedules.create('c1', schedule), {
    body: { schedule },
    reply: { id: 's1', ...schedule },
  }),
  row('PATCH /channels/c1/schedules/s1', (api) => api.schedules.update('c1', 's1', schedule), {
    body: { schedule },
    reply: { id: 's1', ...schedule },
  }),
  row('DELETE /channels/c1/schedules/s1', (api) => api.schedules.delete('c1', 's1')),
  // API permissions, pins, reactions
  row('GET /guilds/g1/api_permission', (api) => api.apiPermissions.list('g1'), {
    reply: { apis: [{ path: '/guilds/{guild_id}', method: 'GET', desc: 'guild info', auth_status: 1 }] },
  }),
  row('POST /guilds/g1/api_permission/demand', (api) => api.apiPermissions.demand('g1', demand), {
    body: demand,
    reply: { guild_id: 'g1', title: 'Bot asks for a permission', ...demand },
  }),
  row('GET /channels/c1/pins', (api) => api.pins.list('c1'), { reply: pins }),
  row('PUT /channels/c1/pins/m1', (api) => api.pins.pin('c1', 'm1'), { reply: pins }),
  row('DELETE /channels/c1/pins/all', (api) => api.pins.unpin('c1', 'all')),
  row('PUT /channels/c1/messages/m1/reactions/1/4', (api) => api.reactions.add('c1', 'm1', systemEmoji)),
  row('DELETE /channels/c1/messages/m1/reactions/2/128512', (api) =>
    api.reactions.remove('c1', 'm1', { type: EmojiType.Emoji, id: '128512' }),
  ),
  row(
    'GET /channels/c1/messages/m1/reactions/1/4',
    (api) => api.reactions.listUsers('c1', 'm1', systemEmoji, { cookie: 'ck', limit: 50 }),
    {
      query: { cookie: 'ck', limit: '50' },
      reply: { users: [user], cookie: 'ck2', is_end: true },
    },
  ),
  // forum threads
  row('GET /channels/c1/threads', (api) => api.threads.list('c1'), {
    reply: { threads: [thread], is_finish: 1 },
  }),
  row('GET /channels/c1/threads/t1', (api) => api.threads.get('c1', 't1'), { reply: { thread } }),
  row('PUT /channels/c1/threads', (api) => api.threads.create('c1', newThread), {
    body: newThread,
    reply: { task_id: 'task1', create_time: '1700000000' },
  }),
  row('DELETE /channels/c1/threads/t1', (api) => api.threads.delete('c1', 't1')),
  // audio
  row('POST /channels/c1/audio', (api) => api.audio.control('c1', playback), { body: playback }),
  row('PUT /channels/c1/mic', (api) => api.audio.joinMic('c1')),
  row('DELETE /channels/c1/mic', (api) => api.audio.leaveMic('c1')),
  row('GET /channels/c1/voice/members', (api) => api.audio.listVoiceMembers('c1'), {
    reply: [{ user, nick: 'Al', mute: false }],
  }),
  // interactions and setting guides
  row('PUT /interactions/i1', (api) => api.interactions.acknowledge('i1', InteractionAckCode.NoPermission), {
    body: { code: 4 },
    headers: { 'x-callback-appid': 'app' },
  }),
  row(
    'POST /channels/c1/settingguide',
    (api) => api.settingGuides.sendToChannel('c1', { content: '<@u1>' }),
    {
      body: { content: '<@u1>' },
      reply: message,
    },
  ),
  row('POST /dms/dg1/settingguide', (api) => api.settingGuides.sendToDm('dg1', 'g1'), {
    body: { setting_guide: { guild_id: 'g1' } },
    reply: message,
  }),
];

describe('BotApi endpoints on the wire', () => {
  let server: ApiServer;
  let rest: RestClient;
  let api: BotApi;

  beforeAll(async () => {
    server = await startApiServer();
    ({ rest, api } = connectApi(server));
  });
  afterAll(async () => {
    rest.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());

  it.each(rows.map((row) => [row.title, row] as const))('%s', async (_title, row) => {
    server.respond = () =>
      row.reply === undefined
        ? { status: row.status ?? 204 }
        : { status: row.status ?? 200, body: row.reply };

    const result = await row.call(api);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    if (request === undefined) throw new Error('no request recorded');
    expect(request.method).toBe(row.method);
    expect(request.path).toBe(row.path);
    expect(request.query).toEqual(row.query ?? {});
    expect(request.headers['authorization']).toBe('QQBot t');
    expect(request.headers['x-union-appid']).toBe('app');
    for (const [name, value] of Object.entries(row.headers ?? {})) expect(request.headers[name]).toBe(value);

    if (row.form) {
      expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const form = await new Response(new Uint8Array(request.raw), {
        headers: { 'content-type': String(request.headers['content-type']) },
      }).formData();
      for (const [name, value] of Object.entries(row.form.fields)) expect(form.get(name)).toBe(value);
      for (const [name, expected] of Object.entries(row.form.files)) {
        const part = form.get(name);
        expect(part).toBeInstanceOf(Blob);
        const file = part as File;
        expect(file.name).toBe(expected.name);
        expect(file.type).toBe(expected.type);
        expect([...new Uint8Array(await file.arrayBuffer())]).toEqual(expected.bytes);
      }
      const names = [...new Set(form.keys())].sort();
      expect(names).toEqual([...Object.keys(row.form.fields), ...Object.keys(row.form.files)].sort());
    } else if (row.body === undefined) {
      expect(request.raw).toHaveLength(0);
    } else {
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(jsonBody(request)).toStrictEqual(row.body);
    }

    expect(result).toEqual(row.result ?? row.reply);
  });

  it('has a row for every route template', () => {
    const missing = Object.values(Routes).filter((template) => {
      const pattern = new RegExp(`^${template.replace(/\{[a-z_]+\}/g, '[^/]+')}$`);
      return !rows.some((row) => pattern.test(row.path));
    });
    expect(missing).toEqual([]);
  });

  it('resolves a held message to a PendingAudit instance', async () => {
    server.respond = () => ({
      status: 201,
      body: {
        code: 304024,
        message: 'reply is waiting for audit',
        data: { message_audit: { audit_id: 'a2' } },
      },
    });
    const result = await api.groups.send('G1', OpenMessageParams.text('hi').withReply('gm1'));
    expect(result).toBeInstanceOf(PendingAudit);
  });

  it('sendMedia uploads without sending, then replies with the file_info', async () => {
    server.respond = (request) =>
      request.path.endsWith('/files') ? { status: 200, body: upload } : { status: 200, body: openResult };

    const result = await api.c2c.sendMedia(
      'U1',
      { file_type: MediaFileType.Image, url: 'https://example.test/i.png' },
      { msg_id: 'um0', msg_seq: 3 },
    );

    expect(result).toEqual(openResult);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v2/users/U1/files',
      'POST /v2/users/U1/messages',
    ]);
    const [uploadRequest, sendRequest] = server.requests;
    if (uploadRequest === undefined || sendRequest === undefined) throw new Error('requests missing');
    expect(jsonBody(uploadRequest)).toStrictEqual({
      file_type: 1,
      url: 'https://example.test/i.png',
      srv_send_msg: false,
    });
    expect(jsonBody(sendRequest)).toStrictEqual({
      msg_id: 'um0',
      msg_seq: 3,
      msg_type: 7,
      media: { file_info: 'fi1' },
      content: ' ',
    });
  });
});
