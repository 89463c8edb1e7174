import { describe, expect, it, vi } from 'vitest';
import { inspect } from 'node:util';
import { ValidationError, type BotApi } from '@bot/http';
import { GroupMessage, Interaction, Message, User } from '@bot/client';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { camelize } from '../src/models/camelize.js';
import {
  channelMentionIds,
  stripMentions,
  toDate,
  unescapeContent,
  userMentionIds,
} from '../src/models/content.js';

describe('content helpers', () => {
  it('unescapes the platform entities in one pass', () => {
    expect(unescapeContent('a &amp; b &lt;tag&gt; &amp;lt;')).toBe('a & b <tag> &lt;');
  });

  it('finds user and channel mentions and strips user mentions', () => {
    const content = '<@!1001> hi <@2002> see <#300>';
    expect(userMentionIds(content)).toEqual(['1001', '2002']);
    expect(channelMentionIds(content)).toEqual(['300']);
    expect(stripMentions('<@!1001>   !ping  ')).toBe('!ping');
  });

  it('reads RFC 3339 and Unix-second timestamps', () => {
    expect(toDate('2024-01-02T03:04:05+08:00')?.toISOString()).toBe('2024-01-01T19:04:05.000Z');
    expect(toDate(1_700_000_000)?.getTime()).toBe(1_700_000_000_000);
    expect(toDate('1700000000')?.getTime()).toBe(1_700_000_000_000);
    expect(toDate(undefined)).toBeUndefined();
  });

  it('camel-cases keys recursively', () => {
    expect(camelize({ op_user_id: '1', target: { emoji_type: 2 }, list: [{ file_info: 'x' }] })).toEqual({
      opUserId: '1',
      target: { emojiType: 2 },
      list: [{ fileInfo: 'x' }],
    });
  });

  it('keeps a `__proto__` key from the wire as data, never as the prototype', () => {
    const copy = camelize(JSON.parse('{"__proto__": {"polluted": true}, "op_user_id": "1"}') as object);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy).toEqual({ _Proto__: { polluted: true }, opUserId: '1' });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('models read the wire lazily', () => {
  const binding = { api: {} as BotApi, replies: new ReplySequencer() };
  const wire = {
    id: 'm1',
    channel_id: 'c1',
    guild_id: 'g1',
    content: '<@!bot> a &amp; b',
    timestamp: '2024-01-02T03:04:05+08:00',
    author: { id: 'u1', username: 'Alice', bot: false },
    member: { joined_at: '2023-03-14T10:00:00+08:00', roles: ['4'], nick: 'Al' },
    mentions: [{ id: 'bot', username: 'bot', bot: true }],
    message_reference: { message_id: 'm0' },
  };

  it('surfaces the same fields as before, built on first read and stable after', () => {
    const message = new Message(wire as never, binding, 'e1');
    expect(message.content).toBe('<@!bot> a & b');
    expect(message.cleanContent).toBe('a & b');
    expect(message.timestamp?.toISOString()).toBe('2024-01-01T19:04:05.000Z');
    expect(message.author).toBeInstanceOf(User);
    expect(message.author).toBe(message.author);
    expect(message.mentions.map((user) => user.id)).toEqual(['bot']);
    expect(message.member).toEqual({ nick: 'Al', roles: ['4'], joinedAt: new Date('2023-03-14T02:00:00Z') });
    expect(message.referencedMessageId).toBe('m0');
    // A Date is mutable: every read hands out a fresh one, so changing it changes no message.
    message.timestamp?.setFullYear(1999);
    expect(message.timestamp?.getUTCFullYear()).toBe(2024);
  });

  it('keep in cleanContent the mention-like text a user typed: only real mentions are removed', () => {
    // The platform escapes what users type: `&lt;@!bot&gt;` is text, `<@!bot>` a mention.
    const typed = { ...wire, content: '<@!bot> say &lt;@!bot&gt; &amp; &lt;@alice&gt;' };
    expect(new Message(typed as never, binding).cleanContent).toBe('say <@!bot> & <@alice>');
    const group = new GroupMessage(
      {
        id: 'g',
        content: ' try &lt;@!123&gt;  now',
        group_openid: 'G1',
        author: { member_openid: 'M1' },
      } as never,
      binding,
    );
    // Only the ends are trimmed: the spacing between words is the user's.
    expect(group.cleanContent).toBe('try <@!123>  now');
  });

  it('show a list the payload left out as one shared, frozen empty list', () => {
    const { mentions: _mentions, ...bare } = wire;
    const first = new Message(bare as never, binding);
    const second = new GroupMessage(
      { id: 'g', content: 'hi', group_openid: 'G1', author: { member_openid: 'M1' } } as never,
      binding,
    );
    expect(first.attachments).toEqual([]);
    expect(first.embeds).toBe(first.attachments);
    expect(second.attachments).toBe(first.attachments);
    expect(Object.isFrozen(first.attachments)).toBe(true);
    // Changing it throws rather than reaching every other message without attachments.
    expect(() => (first.attachments as unknown[]).push({ url: 'https://example.com/b.png' })).toThrow(
      TypeError,
    );
    expect(() => (second.attachments as unknown[]).push({ url: 'https://example.com/c.png' })).toThrow(
      TypeError,
    );
    expect(second.attachments).toEqual([]);
    expect(first.embeds).toEqual([]);
    const attachments = [{ url: 'https://example.com/a.png' }];
    expect(new Message({ ...wire, attachments } as never, binding).attachments).toBe(attachments);
  });

  it('refuse a message without a sender when built, not later in a handler', () => {
    const { author: _author, ...anonymous } = wire;
    expect(() => new Message(anonymous as never, binding)).toThrow(ValidationError);
    expect(() => new Message(anonymous as never, binding)).toThrow(/d\.author must be an object/);
    expect(() => new Message({ ...wire, mentions: 'everyone' } as never, binding)).toThrow(/d\.mentions/);
  });

  it('show their fields in console.log, built lazily or not', () => {
    const shown = inspect(new Message(wire as never, binding, 'e1'));
    expect(shown).toMatch(/^Message \{/);
    expect(shown).toContain("content: '<@!bot> a & b'");
    expect(shown).toContain("username: 'Alice'");
    expect(shown).not.toContain('binding');
  });

  it('serialise to their fields, without the API they are bound to', () => {
    const json = JSON.parse(JSON.stringify(new Message(wire as never, binding, 'e1'))) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({
      id: 'm1',
      content: '<@!bot> a & b',
      author: { username: 'Alice' },
      eventId: 'e1',
    });
    expect(json).not.toHaveProperty('binding');
    const group = new GroupMessage(
      { id: 'g', content: 'hi', group_openid: 'G1', author: { member_openid: 'M1' } } as never,
      binding,
    );
    expect(JSON.parse(JSON.stringify(group))).toMatchObject({
      groupOpenid: 'G1',
      author: { memberOpenid: 'M1' },
    });
    const click = new Interaction(
      { id: 'i1', type: 11, chat_type: 1, data: { resolved: { button_data: 'yes' } } } as never,
      binding,
    );
    expect(click.buttonData).toBe('yes');
    expect(JSON.parse(JSON.stringify(click))).toMatchObject({ id: 'i1', data: { chatType: 1 } });
  });
});

describe('ReplySequencer', () => {
  it('numbers replies per inbound message from 1', () => {
    const seq = new ReplySequencer();
    expect([seq.next('a'), seq.next('a'), seq.next('b'), seq.next('a')]).toEqual([1, 2, 1, 3]);
  });

  it('forgets messages past the reply window and beyond its capacity', () => {
    vi.useFakeTimers();
    try {
      const seq = new ReplySequencer(2, 1000);
      seq.next('a');
      seq.next('b');
      seq.next('c');
      expect(seq.size).toBe(2);
      vi.advanceTimersByTime(1000);
      expect(seq.next('b')).toBe(1);
      expect(seq.size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
