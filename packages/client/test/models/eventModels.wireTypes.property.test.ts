import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, type BotApi, type DispatchEventName } from '@bot/http';
import {
  EVENT_TABLE,
  MalformedEventError,
  MODEL_BUILDERS,
  type BotError,
  type EventHandler,
} from '@bot/client';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { sequentialDispatcher } from '../support/sequentialDispatcher.js';
import { pathsOf, replaced } from '../support/wirePaths.js';

/*
 * The member, reaction, forum, group/C2C, recall, READY and snapshot models, as the message models in
 * models.wireTypes.property.test: given any JSON in any field of a well-formed payload, a model
 * either refuses it when built, with a ValidationError naming the field (which the client reports
 * to error() as a MalformedEventError), or holds what its types say in the fields it relies on,
 * so a handler reading them never meets a TypeError caused by the platform.
 */

const binding = { api: {} as BotApi, replies: new ReplySequencer() };

/** Builds the model of `event` from `d` as the client does. */
function build(event: DispatchEventName, d: unknown): unknown {
  return (MODEL_BUILDERS[event] as (d: unknown, b: typeof binding, id: string) => unknown)(d, binding, 'e1');
}

/** `error` is a ValidationError naming `path`, a field inside it, or the field holding it. */
function expectNamed(error: unknown, path: readonly string[]): void {
  expect(error).toBeInstanceOf(ValidationError);
  const named = `${(error as ValidationError).field.replace(/\[(\d+)\]/g, '.$1')}.`;
  const replacedAt = `d.${path.join('.')}.`;
  expect(named.startsWith(replacedAt) || replacedAt.startsWith(named)).toBe(true);
}

const isId = (value: unknown): boolean => typeof value === 'string' && value !== '';
const isOptionalId = (value: unknown): boolean => value == null || isId(value);
const isOptionalIdOrNumber = (value: unknown): boolean => typeof value === 'number' || isOptionalId(value);
const isOptionalString = (value: unknown): boolean => value == null || typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptionalRichText = (value: unknown): boolean =>
  value == null || typeof value === 'string' || Array.isArray(value);

/** Fields of a model, by their camel-cased names. */
type Fields = Record<string, unknown>;

/** What a forum event's nested object holds, as its model copies it. */
function forumInfoHolds(info: unknown, ids: readonly string[], hasTitle: boolean): boolean {
  if (info == null) return true;
  if (!isObject(info)) return false;
  return (
    ids.every((id) => isOptionalId(info[id])) &&
    (!hasTitle || isOptionalRichText(info['title'])) &&
    isOptionalRichText(info['content']) &&
    isOptionalString(info['dateTime'])
  );
}

const isIdOrNumber = (value: unknown): boolean => typeof value === 'number' || isId(value);
const isString = (value: unknown): boolean => typeof value === 'string';
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const isStringOrNumber = (value: unknown): boolean => typeof value === 'string' || typeof value === 'number';
/** Absent (`null` reads as absent and is left off the model), or of the type `fits` accepts. */
const isOptional = (value: unknown, fits: (value: unknown) => boolean): boolean =>
  value === undefined || fits(value);
const forumIds = (m: Fields): boolean =>
  isIdOrNumber(m['guildId']) && isIdOrNumber(m['channelId']) && isIdOrNumber(m['authorId']);

const guildId = '7';
const where = { guild_id: guildId, channel_id: 'c1' };

interface Family {
  name: string;
  events: readonly DispatchEventName[];
  /** A well-formed payload, as the other tests use. */
  wire: object;
  /** Whether the model holds what its types say in the fields it relies on. */
  holds: (model: Fields) => boolean;
}

const families: Family[] = [
  {
    name: 'Member',
    events: ['GUILD_MEMBER_ADD', 'GUILD_MEMBER_UPDATE', 'GUILD_MEMBER_REMOVE'],
    wire: {
      op_user_id: '9',
      user: { id: '1', username: 'newcomer', avatar: 'a', bot: false, union_openid: 'u' },
      nick: 'n',
      roles: ['1'],
      joined_at: '2026-12-06T16:28:05+08:00',
      guild_id: guildId,
    },
    holds: (m) =>
      isId(m['guildId']) &&
      isObject(m['user']) &&
      isId(m['user']['id']) &&
      isOptionalString(m['user']['username']) &&
      isOptionalString(m['user']['avatar']) &&
      isOptionalString(m['nick']) &&
      isOptionalId(m['opUserId']) &&
      (m['roles'] == null || Array.isArray(m['roles'])),
  },
  {
    name: 'MessageReaction',
    events: ['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE'],
    wire: { user_id: 'u1', emoji: { id: '277', type: 1 }, ...where, target: { id: 'm1', type: 0 } },
    holds: (m) => {
      const { target, emoji } = m;
      return (
        isId(m['channelId']) &&
        isId(m['userId']) &&
        isOptionalId(m['guildId']) &&
        (target == null ||
          (isObject(target) && isOptionalId(target['id']) && isOptionalIdOrNumber(target['type']))) &&
        (emoji == null ||
          (isObject(emoji) && isOptionalId(emoji['id']) && isOptionalIdOrNumber(emoji['type'])))
      );
    },
  },
  {
    name: 'ForumThread',
    events: ['FORUM_THREAD_CREATE', 'FORUM_THREAD_UPDATE', 'FORUM_THREAD_DELETE'],
    wire: {
      ...where,
      author_id: 'u',
      thread_info: {
        thread_id: 't1',
        title: 'T',
        content: [{ type: 1, text_info: { text: 'c' } }],
        date_time: 'd',
      },
    },
    holds: (m) => forumIds(m) && forumInfoHolds(m['threadInfo'], ['threadId'], true),
  },
  {
    name: 'ForumPost',
    events: ['FORUM_POST_CREATE', 'FORUM_POST_DELETE'],
    wire: {
      ...where,
      author_id: 'u',
      post_info: { thread_id: 't1', post_id: 'p1', content: 'c', date_time: 'd' },
    },
    holds: (m) => forumIds(m) && forumInfoHolds(m['postInfo'], ['threadId', 'postId'], false),
  },
  {
    name: 'ForumReply',
    events: ['FORUM_REPLY_CREATE', 'FORUM_REPLY_DELETE'],
    wire: {
      ...where,
      author_id: 'u',
      reply_info: { thread_id: 't1', post_id: 'p1', reply_id: 'r1', content: 'c', date_time: 'd' },
    },
    holds: (m) => forumIds(m) && forumInfoHolds(m['replyInfo'], ['threadId', 'postId', 'replyId'], false),
  },
  {
    name: 'Interaction',
    events: ['INTERACTION_CREATE'],
    wire: {
      id: 'i1',
      application_id: '102',
      type: 11,
      scene: 'group',
      chat_type: 1,
      timestamp: '2026-12-07T14:00:00+08:00',
      group_openid: 'G1',
      group_member_openid: 'M1',
      user_openid: 'U1',
      guild_id: guildId,
      channel_id: 'c1',
      version: 1,
      data: {
        type: 11,
        resolved: { button_data: 'vote', button_id: 'b1', user_id: 'u', feature_id: 'f', message_id: 'm' },
      },
    },
    holds: (m) => {
      const raw = m['raw'] as Fields;
      const data = raw['data'];
      const resolved = isObject(data) ? data['resolved'] : undefined;
      const optionalString = (key: string): boolean => isOptionalString(raw[key]);
      return (
        isId(raw['id']) &&
        Number.isSafeInteger(raw['type']) &&
        ['scene', 'timestamp', 'guild_id', 'channel_id', 'user_openid', 'group_openid'].every(
          optionalString,
        ) &&
        ['group_member_openid', 'application_id'].every(optionalString) &&
        isOptionalIdOrNumber(raw['chat_type']) &&
        (raw['version'] == null || Number.isSafeInteger(raw['version'])) &&
        (data == null || (isObject(data) && (data['type'] == null || Number.isSafeInteger(data['type'])))) &&
        (resolved == null ||
          (isObject(resolved) &&
            ['button_data', 'button_id', 'user_id', 'feature_id', 'message_id'].every((key) =>
              isOptionalString(resolved[key]),
            ))) &&
        [m['buttonData'], m['buttonId'], m['userId']].every(
          (value) => value === undefined || typeof value === 'string',
        )
      );
    },
  },
  {
    name: 'GroupRobotEvent',
    events: ['GROUP_ADD_ROBOT', 'GROUP_DEL_ROBOT', 'GROUP_MSG_REJECT', 'GROUP_MSG_RECEIVE'],
    wire: { timestamp: 1700000000, group_openid: 'ABCDEF0123456789ABCDEF0123456789', op_member_openid: 'M1' },
    holds: (m) =>
      isId(m['groupOpenid']) &&
      isId(m['opMemberOpenid']) &&
      (m['timestamp'] === undefined || m['timestamp'] instanceof Date),
  },
  {
    name: 'FriendEvent',
    events: ['FRIEND_ADD', 'FRIEND_DEL', 'C2C_MSG_REJECT', 'C2C_MSG_RECEIVE'],
    wire: { timestamp: 1700000000, openid: '0123456789ABCDEF0123456789ABCDEF' },
    holds: (m) => isId(m['openid']) && (m['timestamp'] === undefined || m['timestamp'] instanceof Date),
  },
  {
    name: 'MessageDelete',
    events: ['MESSAGE_DELETE', 'PUBLIC_MESSAGE_DELETE', 'DIRECT_MESSAGE_DELETE'],
    wire: { message: { id: 'm1', ...where }, op_user: { id: 'op' } },
    holds: (m) => isObject(m['message']) && isId(m['message']['id']) && isId(m['opUserId']),
  },
  {
    name: 'Ready',
    events: ['READY'],
    wire: { version: 1, session_id: 's1', user: { id: 'b1', username: 'bot', bot: true }, shard: [0, 1] },
    holds: (m) =>
      isId(m['sessionId']) &&
      isObject(m['user']) &&
      isId(m['user']['id']) &&
      isOptional(m['version'], Number.isSafeInteger) &&
      isOptional(m['user']['username'], isString) &&
      isOptional(m['user']['bot'], isBoolean),
  },
  {
    name: 'Guild',
    events: ['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE'],
    wire: {
      id: guildId,
      name: 'Seven',
      icon: 'https://example.invalid/7.png',
      owner_id: 'u1',
      owner: false,
      member_count: 3,
      max_members: 100,
      description: 'the seventh',
      joined_at: '2026-12-07T14:00:00+08:00',
      op_user_id: 'u1',
    },
    holds: (m) =>
      isId(m['id']) &&
      isString(m['name']) &&
      // `icon` and `joinedAt` are passed on as received (the documentation says they are not
      // standardized yet), so any value holds there.
      ['ownerId', 'description', 'opUserId'].every((key) => isOptional(m[key], isString)) &&
      isOptional(m['owner'], isBoolean) &&
      isOptional(m['memberCount'], Number.isSafeInteger) &&
      isOptional(m['maxMembers'], Number.isSafeInteger),
  },
  {
    name: 'Channel',
    events: ['CHANNEL_CREATE', 'CHANNEL_UPDATE', 'CHANNEL_DELETE'],
    wire: {
      id: 'c1',
      guild_id: guildId,
      name: 'general',
      type: 0,
      sub_type: 0,
      position: 1,
      parent_id: 'c0',
      owner_id: 'u1',
      private_type: 0,
      speak_permission: 1,
      application_id: '1000',
      permissions: '6',
      op_user_id: 'u1',
    },
    holds: (m) =>
      isId(m['id']) &&
      isId(m['guildId']) &&
      isString(m['name']) &&
      Number.isSafeInteger(m['type']) &&
      ['subType', 'position', 'privateType', 'speakPermission'].every((key) =>
        isOptional(m[key], Number.isSafeInteger),
      ) &&
      ['parentId', 'ownerId', 'applicationId', 'permissions', 'opUserId'].every((key) =>
        isOptional(m[key], isString),
      ),
  },
  {
    name: 'MessageAudit',
    events: ['MESSAGE_AUDIT_PASS', 'MESSAGE_AUDIT_REJECT'],
    wire: {
      audit_id: 'a1',
      message_id: 'm1',
      ...where,
      audit_time: 't',
      create_time: 't',
      seq_in_channel: '1',
    },
    holds: (m) =>
      ['auditId', 'guildId', 'channelId'].every((key) => isId(m[key])) &&
      isString(m['auditTime']) &&
      ['messageId', 'createTime', 'seqInChannel'].every((key) => isOptional(m[key], isString)),
  },
  {
    name: 'ForumPublishAudit',
    events: ['FORUM_PUBLISH_AUDIT_RESULT'],
    wire: {
      ...where,
      author_id: 'u',
      thread_id: 't',
      post_id: 'p',
      reply_id: 'r',
      type: 3,
      result: 0,
      err_msg: '',
    },
    holds: (m) =>
      forumIds(m) &&
      ['threadId', 'postId', 'replyId'].every((key) => isOptional(m[key], isStringOrNumber)) &&
      Number.isSafeInteger(m['type']) &&
      isOptional(m['result'], Number.isSafeInteger) &&
      isOptional(m['errMsg'], isString),
  },
  {
    name: 'AudioEvent',
    events: ['AUDIO_START', 'AUDIO_FINISH', 'AUDIO_ON_MIC', 'AUDIO_OFF_MIC'],
    wire: { ...where, audio_url: 'https://example.invalid/a.mp3', text: 'a' },
    holds: (m) =>
      isId(m['guildId']) &&
      isId(m['channelId']) &&
      isOptional(m['audioUrl'], isString) &&
      isOptional(m['text'], isString),
  },
];

/** Reads the model as a handler and a logger would: its fields, its answer window, its text. */
function readAll(model: unknown): Fields {
  const fields = model as Fields;
  void fields['replyWindow'];
  JSON.stringify(model);
  inspect(model);
  return fields;
}

describe('a wrong-typed field of a member, reaction, forum, interaction, group, C2C, recall, READY or snapshot payload', () => {
  it.each(families)('$name: fails at build naming the field, or holds what its types say', (family) => {
    for (const event of family.events) expect(family.holds(readAll(build(event, family.wire)))).toBe(true);
    const paths = pathsOf(family.wire);
    fc.assert(
      fc.property(
        fc.constantFrom(...family.events),
        fc.constantFrom(...paths),
        fc.jsonValue({ maxDepth: 2 }),
        (event, path, value) => {
          let model: unknown;
          try {
            model = build(event, replaced(family.wire, path, value));
          } catch (error) {
            expectNamed(error, path);
            return;
          }
          expect(family.holds(readAll(model))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a required id left out is refused naming it', () => {
    const refusal = (event: DispatchEventName, d: object): string => {
      try {
        build(event, d);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      throw new Error('no refusal');
    };
    const [member, reaction, , , , interaction, group, friend, recall] = families.map(
      (family) => family.wire,
    );
    const { user: _user, ...memberWithoutUser } = member as Record<string, unknown>;
    expect(refusal('GUILD_MEMBER_ADD', memberWithoutUser)).toBe('d.user');
    expect(refusal('GUILD_MEMBER_ADD', { ...member, user: 5 })).toBe('d.user');
    expect(refusal('GUILD_MEMBER_REMOVE', { ...member, user: { username: 'x' } })).toBe('d.user.id');
    const { channel_id: _channel, ...reactionWithoutChannel } = reaction as Record<string, unknown>;
    expect(refusal('MESSAGE_REACTION_ADD', reactionWithoutChannel)).toBe('d.channel_id');
    const { group_openid: _group, ...groupWithoutId } = group as Record<string, unknown>;
    expect(refusal('GROUP_ADD_ROBOT', groupWithoutId)).toBe('d.group_openid');
    expect(refusal('FRIEND_ADD', { ...friend, openid: '' })).toBe('d.openid');
    expect(refusal('MESSAGE_DELETE', { ...recall, op_user: {} })).toBe('d.op_user.id');
    const { type: _type, ...interactionWithoutKind } = interaction as Record<string, unknown>;
    expect(refusal('INTERACTION_CREATE', interactionWithoutKind)).toBe('d.type');
    expect(refusal('FORUM_THREAD_CREATE', { ...where, author_id: 'u', thread_info: 'x' })).toBe(
      'd.thread_info',
    );
    expect(refusal('FORUM_POST_CREATE', { ...where, post_info: {} })).toBe('d.author_id');
  });

  it('a forum event whose ids are JSON numbers, as the documentation shows them, still builds', () => {
    const thread = build('FORUM_THREAD_CREATE', {
      guild_id: 47129941624960822,
      channel_id: 1661124,
      author_id: 144115218182563108,
      thread_info: { thread_id: 'B_1', title: [], content: [], date_time: '2021-12-30T15:17:34+08:00' },
    }) as Fields;
    expect(thread['channelId']).toBe(1661124);
  });
});

describe('a member, reaction, forum, group, C2C, recall or READY payload through the dispatcher', () => {
  it.each(families)(
    '$name: error() receives a MalformedEventError naming the field, or the handler a model that holds',
    async (family) => {
      const errors: BotError[] = [];
      const models: unknown[] = [];
      const handler: Record<string, unknown> = { error: (error: BotError) => void errors.push(error) };
      for (const event of family.events) {
        handler[EVENT_TABLE[event].method] = (_ctx: unknown, model: unknown) => void models.push(model);
      }
      const dispatcher = sequentialDispatcher(handler as EventHandler);
      let delivered = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...family.events),
          fc.constantFrom(...pathsOf(family.wire)),
          fc.jsonValue({ maxDepth: 2 }),
          async (event, path, value) => {
            errors.length = 0;
            models.length = 0;
            const id = `e${++delivered}`;
            dispatcher.deliver(0, { op: 0, t: event, id, d: replaced(family.wire, path, value) });
            await dispatcher.onIdle();
            expect(errors.length + models.length).toBe(1);
            if (models.length === 1) {
              expect(family.holds(readAll(models[0]))).toBe(true);
              return;
            }
            const error = errors[0]!;
            expect(error).toBeInstanceOf(MalformedEventError);
            expect(error).toMatchObject({ event, eventId: id, shardId: 0 });
            expectNamed(error.cause, path);
            expect((error as MalformedEventError).field).toBe((error.cause as ValidationError).field);
          },
        ),
        { numRuns: 100 },
      );
    },
  );
});

describe('a payload that is not an object', () => {
  const events = (Object.keys(MODEL_BUILDERS) as DispatchEventName[]).filter((event) => event !== 'RESUMED');

  it('is refused naming d, by the model of every event', () => {
    const notAnObject = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.double(),
      fc.string(),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...events), notAnObject, (event, d) => {
        let refused: unknown;
        try {
          build(event, d);
        } catch (error) {
          refused = error;
        }
        expect(refused, event).toBeInstanceOf(ValidationError);
        expect((refused as ValidationError).field, event).toBe('d');
      }),
      { numRuns: 500 },
    );
  });
});
