import { expect } from 'vitest';
import { InteractionAckCode, MediaFileType, MessageParams, OpenMessageParams } from '@bot/http';
import { row, type EndpointRow } from '../support/endpointTable.js';
import { auditAnswer, message, openResult, upload } from '../support/samples.js';

const keyboard = { id: 'kb1' };
const png = [0x89, 0x50, 0x4e, 0x47];
const imageUrl = 'https://example.test/i.png';
const markdownBody = { markdown: { content: '# hi' }, keyboard, event_id: 'e1' };
const dmSession = { recipient_id: 'u1', source_guild_id: 'g1' };
const imageUpload = { file_type: MediaFileType.Image, url: imageUrl, srv_send_msg: false };
const voiceUpload = { file_type: MediaFileType.Voice, file_data: 'c2lsaw==' };
const mediaBody = { msg_type: 7, media: { file_info: 'fi1' }, msg_id: 'gm1' } as const;

/** Sending and recalling messages: guild channels, DMs, groups, C2C; interactions and setting guides. */
export const messageRows: EndpointRow[] = [
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
  // srv_send_msg is required by the docs: sent as false when the caller leaves it out
  row('POST /v2/users/U1/files', (api) => api.c2c.upload('U1', voiceUpload), {
    body: { ...voiceUpload, srv_send_msg: false },
    reply: upload,
  }),
  row(
    'POST /v2/users/U1/messages',
    (api) => api.c2c.sendTyping('U1', { msgId: 'um0', msgSeq: 2, seconds: 5 }),
    {
      body: { msg_type: 6, input_notify: { input_type: 1, input_second: 5 }, msg_id: 'um0', msg_seq: 2 },
      reply: { ext_info: { ref_idx: 'r1' } },
      result: { ext_info: { ref_idx: 'r1' } },
    },
  ),
  row('POST /v2/users/U1/messages', (api) => api.c2c.sendTyping('U1', { msgId: 'um0', msgSeq: 1 }), {
    body: { msg_type: 6, input_notify: { input_type: 1, input_second: 30 }, msg_id: 'um0', msg_seq: 1 },
    reply: {},
  }),
  row(
    'POST /v2/users/U1/messages',
    (api) => api.c2c.sendWakeup('U1', OpenMessageParams.text('still there?')),
    {
      body: { msg_type: 0, content: 'still there?', is_wakeup: true },
      reply: openResult,
      result: openResult,
    },
  ),
  row('DELETE /v2/users/U1/messages/um1', (api) => api.c2c.recall('U1', 'um1')),
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
