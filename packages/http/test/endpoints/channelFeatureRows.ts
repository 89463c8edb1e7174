import { AnnouncesType, AudioStatus, EmojiType, ThreadFormat } from '@bot/http';
import { row, type EndpointRow } from '../support/endpointTable.js';
import { announce, pins, schedule, thread, user } from '../support/samples.js';

const recommended = {
  announces_type: AnnouncesType.Welcome,
  recommend_channels: [{ channel_id: 'c1', introduce: 'hi' }],
};
const newThread = { title: 'Hello', content: '# World', format: ThreadFormat.Markdown };
const playback = { status: AudioStatus.Start, audio_url: 'https://example.test/a.mp3', text: 'song' };
const systemEmoji = { type: EmojiType.System, id: '4' };

/** What lives in a channel besides messages: announcements, schedules, pins, reactions, threads, audio. */
export const channelFeatureRows: EndpointRow[] = [
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
  // pins and reactions
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
];
