import { describe, expect, it } from 'vitest';
import {
  ChannelType,
  MediaFileType,
  MessageParams,
  OpenMessageParams,
  RemindType,
  ValidationError,
  type BotApi,
  type CreateChannelBody,
  type MediaUploadBody,
  type OpenMessageBody,
  type RemoveMemberBody,
  type ScheduleBody,
} from '@bot/http';
import { useFakeApi } from './support/fakeApi.js';

/** A call the API must refuse, and the parameter the refusal must name. */
interface RejectedCall {
  name: string;
  call: (api: BotApi) => Promise<unknown>;
  field: string;
}

const schedule: ScheduleBody = {
  name: 'Raid',
  start_timestamp: '1700000000000',
  end_timestamp: '1700003600000',
  remind_type: RemindType.None,
};

/*
 * Wrong inputs a caller can still write, for instance from untyped JSON or a config file: the
 * casts below only stand in for such data, since the typed API would not compile them.
 */
const untyped = <T>(value: unknown): T => value as T;

const rejected: RejectedCall[] = [
  // ids
  { name: 'empty guild id', call: (api) => api.guilds.get(''), field: 'guildId' },
  { name: 'whitespace channel id', call: (api) => api.channels.get('   '), field: 'channelId' },
  { name: 'non-string user id', call: (api) => api.members.get('g1', untyped(42)), field: 'userId' },
  { name: 'empty message id', call: (api) => api.messages.get('c1', ''), field: 'messageId' },
  {
    name: 'empty group openid',
    call: (api) => api.groups.send('', OpenMessageParams.text('hi')),
    field: 'groupOpenid',
  },
  {
    name: 'empty user openid',
    call: (api) => api.c2c.send(' ', OpenMessageParams.text('hi')),
    field: 'openid',
  },
  { name: 'empty interaction id', call: (api) => api.interactions.acknowledge(''), field: 'interactionId' },
  { name: 'empty jump guild id', call: (api) => api.settingGuides.sendToDm('dg1', ''), field: 'jumpGuildId' },
  // paging limits
  { name: 'guild list limit 0', call: (api) => api.users.guilds({ limit: 0 }), field: 'query.limit' },
  { name: 'guild list limit 101', call: (api) => api.users.guilds({ limit: 101 }), field: 'query.limit' },
  {
    name: 'guild list before and after',
    call: (api) => api.users.guilds({ before: 'a', after: 'b' }),
    field: 'query',
  },
  { name: 'member list limit 0', call: (api) => api.members.list('g1', { limit: 0 }), field: 'query.limit' },
  {
    name: 'member list limit 401',
    call: (api) => api.members.list('g1', { limit: 401 }),
    field: 'query.limit',
  },
  {
    name: 'member list limit 2.5',
    call: (api) => api.members.list('g1', { limit: 2.5 }),
    field: 'query.limit',
  },
  {
    name: 'role member limit 401',
    call: (api) => api.members.listByRole('g1', 'r1', { limit: 401 }),
    field: 'query.limit',
  },
  {
    name: 'reaction users limit 51',
    call: (api) => api.reactions.listUsers('c1', 'm1', { type: 1, id: '4' }, { limit: 51 }),
    field: 'query.limit',
  },
  // members, roles, permissions, channels
  {
    name: 'delete_history_msg_days 5',
    call: (api) => api.members.remove('g1', 'u1', untyped<RemoveMemberBody>({ delete_history_msg_days: 5 })),
    field: 'body.delete_history_msg_days',
  },
  { name: 'empty role body', call: (api) => api.roles.create('g1', {}), field: 'body' },
  {
    name: 'role hoist 2',
    call: (api) => api.roles.update('g1', 'r1', untyped({ hoist: 2 })),
    field: 'body.hoist',
  },
  {
    name: 'channel admin role without channel',
    call: (api) => api.roles.addMember('g1', 'u1', '5'),
    field: 'channelId',
  },
  {
    name: 'permission update without change',
    call: (api) => api.permissions.updateForMember('c1', 'u1', {}),
    field: 'body',
  },
  {
    name: 'permission bits not decimal',
    call: (api) => api.permissions.updateForRole('c1', 'r1', { add: '0x4' }),
    field: 'body.add',
  },
  {
    name: 'channel without name',
    call: (api) => api.channels.create('g1', { name: ' ', type: ChannelType.Text, position: 1 }),
    field: 'body.name',
  },
  {
    name: 'unknown channel type',
    call: (api) =>
      api.channels.create('g1', untyped<CreateChannelBody>({ name: 'x', type: 99, position: 1 })),
    field: 'body.type',
  },
  { name: 'channel update without change', call: (api) => api.channels.update('c1', {}), field: 'body' },
  // guild messages
  { name: 'message with nothing to send', call: (api) => api.messages.send('c1', {}), field: 'params' },
  {
    name: 'blank text message',
    call: (api) => api.messages.send('c1', MessageParams.text('  ')),
    field: 'params',
  },
  {
    name: 'markdown without content or template',
    call: (api) => api.messages.send('c1', MessageParams.markdown({})),
    field: 'params.markdown',
  },
  {
    name: 'markdown with content and template',
    call: (api) => api.dms.send('dg1', MessageParams.markdown({ content: '#', custom_template_id: 't' })),
    field: 'params.markdown',
  },
  {
    name: 'empty reply id',
    call: (api) => api.messages.send('c1', MessageParams.text('hi').withReply('')),
    field: 'params.msg_id',
  },
  {
    name: 'empty event id',
    call: (api) => api.dms.send('dg1', MessageParams.text('hi').withEventId(' ')),
    field: 'params.event_id',
  },
  {
    name: 'empty quoted message id',
    call: (api) => api.messages.send('c1', MessageParams.text('hi').withReference('')),
    field: 'params.message_reference.message_id',
  },
  {
    name: 'keyboard with template and content',
    call: (api) =>
      api.messages.send('c1', MessageParams.markdown('#').withKeyboard({ id: 'k', content: { rows: [] } })),
    field: 'params.keyboard',
  },
  {
    name: 'file_image inside a JSON body',
    call: (api) => api.messages.send('c1', untyped({ content: 'x', file_image: 'aGVsbG8=' })),
    field: 'params.file_image',
  },
  {
    name: 'file image without bytes',
    call: (api) =>
      api.messages.send('c1', MessageParams.fileImage(untyped({ name: 'a.png', data: 'bytes' }))),
    field: 'params.fileImage.data',
  },
  {
    name: 'recall hidetip not boolean',
    call: (api) => api.messages.recall('c1', 'm1', untyped({ hidetip: 'yes' })),
    field: 'query.hidetip',
  },
  {
    name: 'DM session without recipient',
    call: (api) => api.dms.createSession(untyped({ source_guild_id: 'g1' })),
    field: 'body.recipient_id',
  },
  // group and C2C messages
  {
    name: 'unknown msg_type',
    call: (api) => api.groups.send('G1', untyped<OpenMessageBody>({ msg_type: 1, content: 'x' })),
    field: 'params.msg_type',
  },
  {
    name: 'text message without content',
    call: (api) => api.groups.send('G1', { msg_type: 0 }),
    field: 'params.content',
  },
  {
    name: 'markdown type without markdown',
    call: (api) => api.c2c.send('U1', { msg_type: 2, content: 'x' }),
    field: 'params.markdown',
  },
  { name: 'ark type without ark', call: (api) => api.c2c.send('U1', { msg_type: 3 }), field: 'params.ark' },
  {
    name: 'typing notice through send',
    call: (api) => api.c2c.send('U1', untyped<OpenMessageBody>({ msg_type: 6 })),
    field: 'params.msg_type',
  },
  {
    name: 'typing without msg_id',
    call: (api) => api.c2c.sendTyping('U1', { msgId: '', msgSeq: 1 }),
    field: 'typing.msgId',
  },
  {
    name: 'typing without msg_seq',
    call: (api) => api.c2c.sendTyping('U1', { msgId: 'um0', msgSeq: 0 }),
    field: 'typing.msgSeq',
  },
  {
    name: 'typing over 60 seconds',
    call: (api) => api.c2c.sendTyping('U1', { msgId: 'um0', msgSeq: 1, seconds: 61 }),
    field: 'typing.seconds',
  },
  {
    name: 'typing for a fraction of a second',
    call: (api) => api.c2c.sendTyping('U1', { msgId: 'um0', msgSeq: 1, seconds: 0.5 }),
    field: 'typing.seconds',
  },
  {
    name: 'wakeup replying to a message',
    call: (api) => api.c2c.sendWakeup('U1', OpenMessageParams.text('hi').withReply('um0')),
    field: 'params.msg_id',
  },
  {
    name: 'wakeup with a msg_seq',
    call: (api) => api.c2c.sendWakeup('U1', OpenMessageParams.text('hi').withMsgSeq(2)),
    field: 'params.msg_seq',
  },
  {
    name: 'empty wakeup',
    call: (api) => api.c2c.sendWakeup('U1', { msg_type: 0, content: ' ' }),
    field: 'params.content',
  },
  {
    name: 'embed type without embed',
    call: (api) => api.c2c.send('U1', { msg_type: 4 }),
    field: 'params.embed',
  },
  {
    name: 'media type without media',
    call: (api) => api.groups.send('G1', { msg_type: 7, content: ' ' }),
    field: 'params.media',
  },
  {
    name: 'media without file_info',
    call: (api) => api.groups.send('G1', OpenMessageParams.media('')),
    field: 'params.media.file_info',
  },
  {
    name: 'msg_seq 0',
    call: (api) => api.groups.send('G1', OpenMessageParams.text('hi').withMsgSeq(0)),
    field: 'params.msg_seq',
  },
  {
    name: 'msg_seq 1.5',
    call: (api) => api.c2c.send('U1', OpenMessageParams.text('hi').withMsgSeq(1.5)),
    field: 'params.msg_seq',
  },
  // media uploads
  {
    name: 'file_type 5',
    call: (api) =>
      api.groups.upload('G1', untyped<MediaUploadBody>({ file_type: 5, url: 'https://example.test/a' })),
    field: 'body.file_type',
  },
  {
    name: 'file_type 0',
    call: (api) =>
      api.c2c.upload('U1', untyped<MediaUploadBody>({ file_type: 0, url: 'https://example.test/a' })),
    field: 'body.file_type',
  },
  {
    name: 'url and file_data both set',
    call: (api) =>
      api.groups.upload('G1', {
        file_type: MediaFileType.Image,
        url: 'https://example.test/a',
        file_data: 'AA==',
      }),
    field: 'body',
  },
  {
    name: 'neither url nor file_data',
    call: (api) => api.c2c.upload('U1', { file_type: MediaFileType.Video }),
    field: 'body',
  },
  {
    name: 'sendMedia asked to send on upload',
    call: (api) =>
      api.groups.sendMedia('G1', {
        file_type: MediaFileType.Image,
        url: 'https://example.test/a',
        srv_send_msg: true,
      }),
    field: 'upload.srv_send_msg',
  },
  {
    name: 'sendMedia with a bad msg_seq uploads nothing',
    call: (api) =>
      api.c2c.sendMedia(
        'U1',
        { file_type: MediaFileType.Image, url: 'https://example.test/a' },
        { msg_seq: 0 },
      ),
    field: 'params.msg_seq',
  },
  // mutes, announcements, schedules
  { name: 'mute without duration', call: (api) => api.mutes.muteGuild('g1', {}), field: 'body' },
  {
    name: 'mute seconds not decimal',
    call: (api) => api.mutes.muteMember('g1', 'u1', { mute_seconds: '10s' }),
    field: 'body.mute_seconds',
  },
  {
    name: 'mute members without users',
    call: (api) => api.mutes.muteMembers('g1', { user_ids: [], mute_seconds: '60' }),
    field: 'body.user_ids',
  },
  {
    name: 'announce message without channel',
    call: (api) => api.announces.createForGuild('g1', { message_id: 'm1' }),
    field: 'body.channel_id',
  },
  { name: 'announce with nothing', call: (api) => api.announces.createForGuild('g1', {}), field: 'body' },
  {
    name: 'remind_type 9',
    call: (api) => api.schedules.create('c1', untyped<ScheduleBody>({ ...schedule, remind_type: '9' })),
    field: 'schedule.remind_type',
  },
  {
    name: 'remind_type as a number',
    call: (api) => api.schedules.update('c1', 's1', untyped<ScheduleBody>({ ...schedule, remind_type: 1 })),
    field: 'schedule.remind_type',
  },
  {
    name: 'schedule ending before it starts',
    call: (api) => api.schedules.create('c1', { ...schedule, end_timestamp: '1699999999999' }),
    field: 'schedule.end_timestamp',
  },
  {
    name: 'schedule since not a timestamp',
    call: (api) => api.schedules.list('c1', { since: 'yesterday' }),
    field: 'query.since',
  },
  // the rest
  {
    name: 'permission demand without description',
    call: (api) =>
      api.apiPermissions.demand(
        'g1',
        untyped({ channel_id: 'c1', api_identify: { path: '/x', method: 'GET' } }),
      ),
    field: 'body.desc',
  },
  {
    name: 'emoji type 3',
    call: (api) => api.reactions.add('c1', 'm1', untyped({ type: 3, id: '4' })),
    field: 'emoji.type',
  },
  {
    name: 'thread format 5',
    call: (api) => api.threads.create('c1', untyped({ title: 't', content: 'c', format: 5 })),
    field: 'body.format',
  },
  {
    name: 'audio status 4',
    call: (api) => api.audio.control('c1', untyped({ status: 4 })),
    field: 'body.status',
  },
  {
    name: 'audio start without URL',
    call: (api) => api.audio.control('c1', { status: 0 }),
    field: 'body.audio_url',
  },
  {
    name: 'interaction code 6',
    call: (api) => api.interactions.acknowledge('i1', untyped(6)),
    field: 'code',
  },
  {
    name: 'interaction code -1',
    call: (api) => api.interactions.acknowledge('i1', untyped(-1)),
    field: 'code',
  },
];

describe('argument validation', () => {
  const fake = useFakeApi();

  it.each(rejected)('rejects $name, naming $field, before any request', async ({ call, field }) => {
    const error: unknown = await call(fake.api).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: 'validation', field });
    expect((error as ValidationError).message.startsWith(`${field} `)).toBe(true);
    expect(fake.platform.requests).toHaveLength(0);
    expect(fake.platform.tokenRequests).toHaveLength(0);
  });

  it('accepts the boundary values the platform allows', async () => {
    const { api } = fake;
    await api.users.guilds({ limit: 1 });
    await api.users.guilds({ limit: 100 });
    await api.members.list('g1', { limit: 1 });
    await api.members.list('g1', { limit: 400 });
    for (const days of [0, 3, 7, 15, 30, -1] as const)
      await api.members.remove('g1', 'u1', { delete_history_msg_days: days });
    for (const code of [0, 5] as const) await api.interactions.acknowledge('i1', code);
    for (const fileType of [1, 4] as const)
      await api.groups.upload('G1', { file_type: fileType, url: 'https://example.test/a' });
    expect(fake.platform.requests).toHaveLength(14);
  });
});
