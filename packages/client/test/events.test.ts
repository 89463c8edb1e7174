import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, type Emulator } from '@bot/testing';
import {
  AudioChannelMember,
  AudioEvent,
  C2CMessage,
  Channel,
  DirectMessage,
  EVENT_TABLE,
  ForumPost,
  ForumPublishAudit,
  ForumReply,
  ForumThread,
  FriendEvent,
  GroupMessage,
  GroupRobotEvent,
  Guild,
  Interaction,
  Member,
  Message,
  MessageAudit,
  MessageDelete,
  MessageReaction,
  OpenForumEvent,
  Ready,
  type Context,
  type EventHandler,
  type EventMethod,
} from '@bot/client';
import type { GatewayPayload } from '@bot/http';
import { startHarness, type Harness } from './support/harness.js';

interface Call {
  method: string;
  ctx: Context;
  model: unknown;
}

/** A handler that implements every event method and records each call. */
function recordingHandler(calls: Call[]): EventHandler {
  const handler: Record<string, unknown> = {};
  for (const { method } of Object.values(EVENT_TABLE)) {
    handler[method] = (ctx: Context, model: unknown) => void calls.push({ method, ctx, model });
  }
  return handler as EventHandler;
}

const guildId = SEED.guilds[0];
const channelId = SEED.channels.hallGeneral;
const where = { guild_id: guildId, channel_id: channelId };

type Row = [
  name: string,
  publish: (emulator: Emulator) => void,
  method: EventMethod,
  model: abstract new (...args: never[]) => unknown,
  fields: Record<string, unknown>,
];

const rows: Row[] = [
  [
    'AT_MESSAGE_CREATE',
    (e) => e.simulate.guildAtMessage({ content: 'a <b> & c' }),
    'messageCreate',
    Message,
    {
      cleanContent: 'a <b> & c',
      rawContent: expect.stringContaining('a &lt;b&gt; &amp; c'),
      guildId,
      channelId,
    },
  ],
  [
    'MESSAGE_CREATE',
    (e) => e.simulate.guildMessage({ content: 'plain' }),
    'guildMessageCreate',
    Message,
    { content: 'plain' },
  ],
  [
    'DIRECT_MESSAGE_CREATE',
    (e) => e.simulate.directMessage({ content: 'psst' }),
    'directMessageCreate',
    DirectMessage,
    { content: 'psst', guildId: SEED.dm.guildId },
  ],
  [
    'GROUP_AT_MESSAGE_CREATE',
    (e) => e.simulate.groupAtMessage({ content: 'yo' }),
    'groupMessageCreate',
    GroupMessage,
    { cleanContent: 'yo', groupOpenid: SEED.groups.bookClub },
  ],
  [
    'C2C_MESSAGE_CREATE',
    (e) => e.simulate.c2cMessage({ content: 'hey' }),
    'c2cMessageCreate',
    C2CMessage,
    { content: 'hey' },
  ],
  [
    'INTERACTION_CREATE',
    (e) =>
      e.simulate.interaction({
        scene: 'group',
        buttonId: 'b1',
        buttonData: 'vote:yes',
        allowUnsentButton: true,
      }),
    'interactionCreate',
    Interaction,
    { buttonData: 'vote:yes' },
  ],
  [
    'GUILD_MEMBER_ADD',
    (e) => e.simulate.memberJoin({ username: 'Newbie' }),
    'guildMemberAdd',
    Member,
    { guildId },
  ],
  [
    'GUILD_MEMBER_REMOVE',
    (e) => e.simulate.memberLeave({ userId: SEED.users.bob }),
    'guildMemberRemove',
    Member,
    {},
  ],
  [
    'MESSAGE_REACTION_ADD',
    (e) => e.simulate.reactionAdd({ messageId: e.simulate.guildMessage({ content: 'react to me' }).d.id }),
    'messageReactionAdd',
    MessageReaction,
    { channelId },
  ],
  [
    'MESSAGE_REACTION_REMOVE',
    (e) => {
      const messageId = e.simulate.guildMessage({ content: 'and me' }).d.id;
      e.simulate.reactionAdd({ messageId });
      e.simulate.reactionRemove({ messageId });
    },
    'messageReactionRemove',
    MessageReaction,
    {},
  ],
  [
    'AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER',
    (e) => e.simulate.voiceEnter({ channelId: SEED.channels.hallVoice }),
    'audioOrLiveChannelMemberEnter',
    AudioChannelMember,
    { channelId: SEED.channels.hallVoice },
  ],
  [
    'AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT',
    (e) => e.simulate.voiceExit({ channelId: SEED.channels.hallVoice }),
    'audioOrLiveChannelMemberExit',
    AudioChannelMember,
    {},
  ],
  // The emulator keeps group membership and friendship: remove before adding back.
  ['GROUP_DEL_ROBOT', (e) => e.simulate.groupDelRobot(), 'groupDelRobot', GroupRobotEvent, {}],
  [
    'GROUP_ADD_ROBOT',
    (e) => e.simulate.groupAddRobot(),
    'groupAddRobot',
    GroupRobotEvent,
    { groupOpenid: SEED.groups.bookClub },
  ],
  ['GROUP_MSG_REJECT', (e) => e.simulate.groupMsgReject(), 'groupMsgReject', GroupRobotEvent, {}],
  ['GROUP_MSG_RECEIVE', (e) => e.simulate.groupMsgReceive(), 'groupMsgReceive', GroupRobotEvent, {}],
  ['FRIEND_DEL', (e) => e.simulate.friendDel(), 'friendDel', FriendEvent, {}],
  ['FRIEND_ADD', (e) => e.simulate.friendAdd(), 'friendAdd', FriendEvent, {}],
  ['C2C_MSG_REJECT', (e) => e.simulate.c2cMsgReject(), 'c2cMsgReject', FriendEvent, {}],
  ['C2C_MSG_RECEIVE', (e) => e.simulate.c2cMsgReceive(), 'c2cMsgReceive', FriendEvent, {}],
  [
    'GUILD_CREATE',
    (e) => e.simulate.dispatch('GUILD_CREATE', { id: guildId, name: 'Hall', op_user_id: 'u1' }, { guildId }),
    'guildCreate',
    Guild,
    { id: guildId, opUserId: 'u1' },
  ],
  [
    'GUILD_UPDATE',
    (e) => e.simulate.dispatch('GUILD_UPDATE', { id: guildId, name: 'Hall 2' }, { guildId }),
    'guildUpdate',
    Guild,
    { name: 'Hall 2' },
  ],
  [
    'GUILD_DELETE',
    (e) => e.simulate.dispatch('GUILD_DELETE', { id: guildId, name: 'Hall' }, { guildId }),
    'guildDelete',
    Guild,
    {},
  ],
  [
    'CHANNEL_CREATE',
    (e) =>
      e.simulate.dispatch(
        'CHANNEL_CREATE',
        { id: 'c9', guild_id: guildId, name: 'new', type: 0 },
        { guildId },
      ),
    'channelCreate',
    Channel,
    { guildId, name: 'new' },
  ],
  [
    'CHANNEL_UPDATE',
    (e) =>
      e.simulate.dispatch(
        'CHANNEL_UPDATE',
        { id: 'c9', guild_id: guildId, name: 'renamed', type: 0 },
        { guildId },
      ),
    'channelUpdate',
    Channel,
    { name: 'renamed' },
  ],
  [
    'CHANNEL_DELETE',
    (e) =>
      e.simulate.dispatch('CHANNEL_DELETE', { id: 'c9', guild_id: guildId, name: 'x', type: 0 }, { guildId }),
    'channelDelete',
    Channel,
    {},
  ],
  [
    'GUILD_MEMBER_UPDATE',
    (e) =>
      e.simulate.dispatch(
        'GUILD_MEMBER_UPDATE',
        { guild_id: guildId, user: { id: 'u2', username: 'B' }, nick: 'bee' },
        { guildId },
      ),
    'guildMemberUpdate',
    Member,
    { nick: 'bee' },
  ],
  [
    'MESSAGE_DELETE',
    (e) =>
      e.simulate.dispatch(
        'MESSAGE_DELETE',
        { message: { id: 'm1', ...where }, op_user: { id: 'op' } },
        { guildId },
      ),
    'messageDelete',
    MessageDelete,
    { opUserId: 'op' },
  ],
  [
    'PUBLIC_MESSAGE_DELETE',
    (e) =>
      e.simulate.dispatch(
        'PUBLIC_MESSAGE_DELETE',
        { message: { id: 'm2', ...where }, op_user: { id: 'op' } },
        { guildId },
      ),
    'publicMessageDelete',
    MessageDelete,
    {},
  ],
  [
    'DIRECT_MESSAGE_DELETE',
    (e) =>
      e.simulate.dispatch('DIRECT_MESSAGE_DELETE', {
        message: { id: 'm3', ...where },
        op_user: { id: 'op' },
      }),
    'directMessageDelete',
    MessageDelete,
    {},
  ],
  [
    'MESSAGE_AUDIT_PASS',
    (e) =>
      e.simulate.dispatch(
        'MESSAGE_AUDIT_PASS',
        { audit_id: 'a1', ...where, audit_time: 't', create_time: 't' },
        { guildId },
      ),
    'messageAuditPass',
    MessageAudit,
    { auditId: 'a1' },
  ],
  [
    'MESSAGE_AUDIT_REJECT',
    (e) =>
      e.simulate.dispatch(
        'MESSAGE_AUDIT_REJECT',
        { audit_id: 'a2', ...where, audit_time: 't', create_time: 't' },
        { guildId },
      ),
    'messageAuditReject',
    MessageAudit,
    {},
  ],
  ...(['FORUM_THREAD_CREATE', 'FORUM_THREAD_UPDATE', 'FORUM_THREAD_DELETE'] as const).map((t): Row => [
    t,
    (e) =>
      e.simulate.dispatch(
        t,
        {
          ...where,
          author_id: 'u',
          thread_info: { thread_id: 't1', title: 'T', content: 'c', date_time: 'd' },
        },
        { guildId },
      ),
    EVENT_TABLE[t].method,
    ForumThread,
    { authorId: 'u' },
  ]),
  ...(['FORUM_POST_CREATE', 'FORUM_POST_DELETE'] as const).map((t): Row => [
    t,
    (e) =>
      e.simulate.dispatch(
        t,
        {
          ...where,
          author_id: 'u',
          post_info: { thread_id: 't1', post_id: 'p1', content: 'c', date_time: 'd' },
        },
        { guildId },
      ),
    EVENT_TABLE[t].method,
    ForumPost,
    {},
  ]),
  ...(['FORUM_REPLY_CREATE', 'FORUM_REPLY_DELETE'] as const).map((t): Row => [
    t,
    (e) =>
      e.simulate.dispatch(
        t,
        {
          ...where,
          author_id: 'u',
          reply_info: { thread_id: 't1', post_id: 'p1', reply_id: 'r1', content: 'c', date_time: 'd' },
        },
        { guildId },
      ),
    EVENT_TABLE[t].method,
    ForumReply,
    {},
  ]),
  [
    'FORUM_PUBLISH_AUDIT_RESULT',
    (e) =>
      e.simulate.dispatch(
        'FORUM_PUBLISH_AUDIT_RESULT',
        { ...where, author_id: 'u', type: 1, result: 0 },
        { guildId },
      ),
    'forumPublishAuditResult',
    ForumPublishAudit,
    { result: 0 },
  ],
  ...(
    [
      'OPEN_FORUM_THREAD_CREATE',
      'OPEN_FORUM_THREAD_UPDATE',
      'OPEN_FORUM_THREAD_DELETE',
      'OPEN_FORUM_POST_CREATE',
      'OPEN_FORUM_POST_DELETE',
      'OPEN_FORUM_REPLY_CREATE',
      'OPEN_FORUM_REPLY_DELETE',
    ] as const
  ).map((t): Row => [
    t,
    (e) => e.simulate.dispatch(t, { ...where, author_id: 'u' }, { guildId }),
    EVENT_TABLE[t].method,
    OpenForumEvent,
    { authorId: 'u' },
  ]),
  ...(['AUDIO_START', 'AUDIO_FINISH', 'AUDIO_ON_MIC', 'AUDIO_OFF_MIC'] as const).map((t): Row => [
    t,
    (e) => e.simulate.dispatch(t, { ...where, audio_url: 'https://example.invalid/a.mp3' }, { guildId }),
    EVENT_TABLE[t].method,
    AudioEvent,
    { audioUrl: 'https://example.invalid/a.mp3' },
  ]),
];

describe('every event reaches its handler method with its model', () => {
  const calls: Call[] = [];
  const raw: GatewayPayload[] = [];
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness([recordingHandler(calls)], (builder) =>
      builder.rawEventHandler({ raw: (_ctx, payload) => void raw.push(payload) }),
    );
    await harness.client.idle();
  });
  afterAll(() => harness.stop());

  it('covers every event of the table', () => {
    const tested = new Set(rows.map(([name]) => name));
    const untested = Object.keys(EVENT_TABLE).filter(
      (name) => !tested.has(name) && name !== 'READY' && name !== 'RESUMED',
    );
    expect(untested).toEqual([]);
  });

  it('delivered READY with the bot user and the shard', () => {
    const ready = calls.find((call) => call.method === 'ready');
    expect(ready?.model).toBeInstanceOf(Ready);
    expect(ready?.model).toMatchObject({ user: { bot: true }, shard: [0, 1] });
    expect(ready?.ctx.shard).toMatchObject({ id: 0, total: 1 });
  });

  it.each(rows)('%s → %s', async (name, publish, method, model, fields) => {
    const before = calls.length;
    publish(harness.emulator);
    await expect
      .poll(() => calls.slice(before).find((call) => call.method === method), { timeout: 5000 })
      .toBeDefined();
    const call = calls.slice(before).find((c) => c.method === method)!;
    expect(call.model).toBeInstanceOf(model);
    expect(call.model).toMatchObject(fields);
    expect(call.ctx.shard.id).toBe(0);
    expect(raw.some((payload) => payload.t === name)).toBe(true);
  });

  it('sends events the framework does not model to raw handlers only', async () => {
    const before = calls.length;
    harness.emulator.simulate.dispatch('SUBSCRIBE_MESSAGE_STATUS', { openid: 'x' });
    await expect
      .poll(() => raw.find((payload) => payload.t === 'SUBSCRIBE_MESSAGE_STATUS'), { timeout: 5000 })
      .toBeDefined();
    await harness.client.idle();
    expect(calls.length).toBe(before);
  });
});
