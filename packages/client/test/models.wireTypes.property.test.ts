import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, type BotApi } from '@bot/http';
import { C2CMessage, DirectMessage, GroupMessage, Interaction, Message } from '@bot/client';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { pathsOf, replaced } from './support/wirePaths.js';

/*
 * A payload is JSON from the network: any field may hold any JSON value. A model either refuses
 * it when built, with a ValidationError naming the field, or holds what its types say, and then
 * reading any of its fields never throws (a handler would otherwise fail, as its own bug, on
 * the platform's defect).
 */

const binding = { api: {} as BotApi, replies: new ReplySequencer() };

const guildWire = {
  id: 'm1',
  channel_id: 'c1',
  guild_id: 'g1',
  content: '<@!bot> a &amp; b',
  timestamp: '2024-01-02T03:04:05+08:00',
  edited_timestamp: '2024-01-02T03:05:05+08:00',
  author: { id: 'u1', username: 'Alice', bot: false },
  member: { joined_at: '2023-03-14T10:00:00+08:00', roles: ['4'], nick: 'Al' },
  mentions: [{ id: 'bot', username: 'bot', bot: true }],
  attachments: [{ url: 'https://example.com/a.png' }],
  embeds: [{ title: 'embed' }],
  mention_everyone: false,
  message_reference: { message_id: 'm0' },
  seq: 3,
  seq_in_channel: '3',
};
const openWire = {
  id: 'o1',
  content: ' hi &amp; bye',
  timestamp: '2024-01-02T03:04:05+08:00',
  attachments: [{ url: 'https://example.com/a.png' }],
};
const groupWire = { ...openWire, group_openid: 'G1', author: { member_openid: 'M1', id: 'x' } };
const c2cWire = { ...openWire, author: { user_openid: 'U1', union_openid: 'N1' } };
const interactionWire = {
  id: 'i1',
  type: 11,
  scene: 'group',
  chat_type: 1,
  timestamp: '2024-01-02T03:04:05+08:00',
  group_openid: 'G1',
  group_member_openid: 'M1',
  data: { type: 11, resolved: { button_data: 'yes', button_id: 'b1' } },
};

/** Reads every field and calls every side-effect-free method a handler might. */
function readAll(model: Message | GroupMessage | C2CMessage): void {
  expect(typeof model.content).toBe('string');
  expect(typeof model.cleanContent).toBe('string');
  expect(Array.isArray(model.attachments)).toBe(true);
  const stamp = model.timestamp;
  expect(stamp === undefined || stamp instanceof Date).toBe(true);
  void model.replyWindow.expiresAt;
  JSON.stringify(model);
  if (model instanceof Message) {
    expect(Array.isArray(model.embeds)).toBe(true);
    expect(model.mentions.every((user) => typeof user === 'object')).toBe(true);
    const member = model.member;
    expect(member === undefined || Array.isArray(member.roles)).toBe(true);
    void model.editedTimestamp;
    void model.referencedMessageId;
    void model.isFromBot();
    void model.mentionsUser('u1');
    void model.userMentionIds();
    void model.channelMentionIds();
  }
}

/**
 * Fields a guild message checks when a handler first reads them, not when built: checking the
 * items of a list costs every event a read of memory the model does not otherwise touch.
 */
const CHECKED_WHEN_READ = ['mentions', 'member'];

/** `error` is a ValidationError naming `path`, a field inside it, or the field holding it. */
function expectNamed(error: unknown, path: readonly string[]): void {
  expect(error).toBeInstanceOf(ValidationError);
  const named = `${(error as ValidationError).field.replace(/\[(\d+)\]/g, '.$1')}.`;
  const replacedAt = `d.${path.join('.')}.`;
  expect(named.startsWith(replacedAt) || replacedAt.startsWith(named)).toBe(true);
}

const cases = [
  { name: 'Message', wire: guildWire, build: (d: object) => new Message(d as never, binding, 'e') },
  {
    name: 'DirectMessage',
    wire: { ...guildWire, src_guild_id: 's1' },
    build: (d: object) => new DirectMessage(d as never, binding, 'e'),
  },
  { name: 'GroupMessage', wire: groupWire, build: (d: object) => new GroupMessage(d as never, binding, 'e') },
  { name: 'C2CMessage', wire: c2cWire, build: (d: object) => new C2CMessage(d as never, binding, 'e') },
];

describe('a wrong-typed field of a message payload', () => {
  it.each(cases)(
    '$name: fails at model build with a ValidationError naming it, or getters never throw',
    ({ wire, build }) => {
      readAll(build(wire));
      const paths = pathsOf(wire);
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
          let model: Message | GroupMessage | C2CMessage;
          try {
            model = build(replaced(wire, path, value));
          } catch (error) {
            expectNamed(error, path);
            return;
          }
          try {
            readAll(model);
          } catch (error) {
            // Only what is checked on first read may fail there, and only as the payload's error.
            expect(CHECKED_WHEN_READ).toContain(path[0]);
            expectNamed(error, path);
          }
        }),
        { numRuns: 400 },
      );
    },
  );

  it("the audit's examples fail naming the field: at build, or when a list item or the roles are read", () => {
    const refusal = (read: () => unknown): string => {
      try {
        read();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      throw new Error('no refusal');
    };
    const message = (d: object): Message => new Message(d as never, binding);
    expect(refusal(() => message({ ...guildWire, content: 123 }))).toBe('d.content');
    expect(refusal(() => message({ ...guildWire, attachments: 'x' }))).toBe('d.attachments');
    expect(refusal(() => message({ ...guildWire, mentions: [null] }).mentions)).toBe('d.mentions[0]');
    expect(refusal(() => message({ ...guildWire, member: { roles: 'admin' } }).member)).toBe(
      'd.member.roles',
    );
    expect(refusal(() => new C2CMessage({ ...c2cWire, attachments: {} } as never, binding))).toBe(
      'd.attachments',
    );
  });

  it('an interaction: any JSON in any field either fails at build or leaves every getter working', () => {
    const paths = pathsOf(interactionWire);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        let click: Interaction;
        try {
          click = new Interaction(replaced(interactionWire, path, value) as never, binding, 'e');
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        void click.data;
        void click.scene;
        void click.replyWindow;
        void click.buttonData;
        void click.buttonId;
        void click.userId;
        JSON.stringify(click);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a guild message whose mentions or member the platform shaped wrongly', () => {
  it('still shows itself in console.log and JSON.stringify, the refused fields as received', () => {
    const message = new Message(
      { ...guildWire, mentions: [null], member: { roles: 'admin' } } as never,
      binding as never,
    );
    expect(() => message.mentions).toThrow(ValidationError);
    const shown = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
    expect(shown['mentions']).toEqual([null]);
    expect(shown['member']).toEqual({ roles: 'admin' });
    expect(() => inspect(message)).not.toThrow();
  });
});
