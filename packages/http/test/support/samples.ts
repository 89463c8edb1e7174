import {
  RemindType,
  type Announces,
  type Channel,
  type GatewayBotInfo,
  type Guild,
  type MediaUploadResult,
  type Member,
  type Message,
  type MessageSetting,
  type OpenMessageResult,
  type PinsMessage,
  type Role,
  type ScheduleBody,
  type Thread,
  type User,
} from '@bot/http';

/*
 * Answers shaped like the platform's, checked against the wire types with `satisfies` so a type
 * that drifts from what the platform sends fails to compile here.
 */

export const user = {
  id: 'u1',
  username: 'alice',
  avatar: 'https://example.test/a.png',
  bot: false,
} satisfies User;
export const guild = {
  id: 'g1',
  name: 'Guild',
  owner_id: 'u1',
  member_count: 3,
  max_members: 100,
} satisfies Guild;
export const channel = {
  id: 'c1',
  guild_id: 'g1',
  name: 'general',
  type: 0,
  sub_type: 0,
  position: 1,
} satisfies Channel;
export const member = {
  user,
  nick: 'Al',
  roles: ['1'],
  joined_at: '2024-01-01T00:00:00+08:00',
} satisfies Member;
export const role = {
  id: 'r1',
  name: 'mods',
  color: 4278245297,
  hoist: 1,
  number: 2,
  member_limit: 2000,
} satisfies Role;
export const message = {
  id: 'm1',
  channel_id: 'c1',
  guild_id: 'g1',
  content: 'hi',
  timestamp: '2024-01-01T00:00:00+08:00',
  author: user,
} satisfies Message;
export const openResult = { id: 'om1', timestamp: 1_700_000_000 } satisfies OpenMessageResult;
export const upload = { file_uuid: 'fu1', file_info: 'fi1', ttl: 3600 } satisfies MediaUploadResult;
export const schedule = {
  name: 'Raid',
  start_timestamp: '1700000000000',
  end_timestamp: '1700003600000',
  jump_channel_id: 'c2',
  remind_type: RemindType.FiveMinutesBefore,
} satisfies ScheduleBody;
export const announce = {
  guild_id: 'g1',
  channel_id: 'c1',
  message_id: 'm1',
  announces_type: 0,
  recommend_channels: [],
} satisfies Announces;
export const pins = { guild_id: 'g1', channel_id: 'c1', message_ids: ['m1'] } satisfies PinsMessage;
export const thread = {
  guild_id: 'g1',
  channel_id: 'c1',
  author_id: 'u1',
  thread_info: { thread_id: 't1', title: 'Hello', content: 'World', date_time: '2024-01-01T00:00:00+08:00' },
} satisfies Thread;
export const gatewayBot = {
  url: 'wss://gw.test',
  shards: 1,
  session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
} satisfies GatewayBotInfo;
export const messageSetting = {
  disable_create_dm: false,
  disable_push_msg: false,
  channel_ids: ['c1'],
  channel_push_max_num: 3,
} satisfies MessageSetting;
/** A 202 answer: the message waits for audit. */
export const auditAnswer = {
  code: 304023,
  message: 'waiting for audit',
  data: { message_audit: { audit_id: 'a1' } },
};
