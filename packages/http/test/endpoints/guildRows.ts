import { ChannelType } from '@bot/http';
import { row, type EndpointRow } from '../support/endpointTable.js';
import { channel, gatewayBot, guild, member, messageSetting, role, user } from '../support/samples.js';

const newChannel = { name: 'general', type: ChannelType.Text, position: 1, parent_id: 'p1' };
const removal = { add_blacklist: true, delete_history_msg_days: -1 } as const;
const roleFields = { name: 'mods', color: 4278245297, hoist: 1 } as const;
const muteMany = { user_ids: ['u1', 'u2'], mute_end_timestamp: '1700000000' };
const demand = {
  channel_id: 'c1',
  api_identify: { path: '/guilds/{guild_id}', method: 'GET' },
  desc: 'show guild info',
};

/** Users, gateway, guilds, channels, members, roles, permissions, mutes and API permissions. */
export const guildRows: EndpointRow[] = [
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
  row(
    'PUT /channels/c1/permissions',
    (api) => api.permissions.updateForMembers('c1', { add: '4', user_ids: ['u1', 'u2'] }),
    {
      body: { add: '4', user_ids: ['u1', 'u2'] },
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
  // API permissions
  row('GET /guilds/g1/api_permission', (api) => api.apiPermissions.list('g1'), {
    reply: { apis: [{ path: '/guilds/{guild_id}', method: 'GET', desc: 'guild info', auth_status: 1 }] },
  }),
  row('POST /guilds/g1/api_permission/demand', (api) => api.apiPermissions.demand('g1', demand), {
    body: demand,
    reply: { guild_id: 'g1', title: 'Bot asks for a permission', ...demand },
  }),
];
