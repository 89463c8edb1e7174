import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BotApi } from '@bot/http';
import { stripMentions } from '../src/models/content.js';
import { GroupMessage } from '../src/models/GroupMessage.js';
import { Message } from '../src/models/Message.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';

const MENTION = /<@!?[^>\s]+>/;
const binding = { api: {} as BotApi, replies: new ReplySequencer() };
const NOTE = '!note line1\n  indented line2\n\n```\ncode\n```';

/** Text that holds no user mention (what is left is only trimmed). */
const mentionFree = fc
  .string({ unit: fc.constantFrom('a', 'z', '!', '<', '@', '>', '#', ' ', '\t', '\n', '\r', '\u3000', '中') })
  .filter((text) => !MENTION.test(text));
/** Text as the platform sends it: escaped, so a `<` or `>` it holds belongs to a mention. */
const escapedText = fc.string({ unit: fc.constantFrom('a', '!', '@', ' ', '\t', '\n', '\u3000') });
const mention = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[A-Za-z0-9]{1,12}$/))
  .map(([bang, id]) => `<@${bang ? '!' : ''}${id}>`);

describe('stripMentions keeps the layout of what the user wrote', () => {
  it('keeps line breaks and indentation when the content holds no mention', () => {
    expect(stripMentions(NOTE)).toBe(NOTE);
    expect(stripMentions('  a  b \n\n')).toBe('a  b');
  });

  it('drops a mention with the whitespace it leaves behind, and nothing more', () => {
    expect(stripMentions(`<@!1001> ${NOTE}`)).toBe(NOTE);
    expect(stripMentions('<@!1001>   !ping  ')).toBe('!ping');
    expect(stripMentions('<@!1> <@2>  hi')).toBe('hi');
    expect(stripMentions('ask <@!1> now')).toBe('ask now');
    expect(stripMentions('ask <@!1> <@2> now')).toBe('ask now');
    expect(stripMentions('ask<@!1> now')).toBe('ask now');
    expect(stripMentions('ask<@!1>now')).toBe('asknow');
    expect(stripMentions('first <@!1>\n  second')).toBe('first\n  second');
    expect(stripMentions('first\n<@!1> second\r\nthird')).toBe('first\nsecond\r\nthird');
    expect(stripMentions('first\n    <@!1> second')).toBe('first\n    second');
    expect(stripMentions('first\n<@!1>\nsecond')).toBe('first\n\nsecond');
  });

  it('leaves content without a mention only trimmed', () => {
    fc.assert(
      fc.property(mentionFree, (text) => {
        expect(stripMentions(text)).toBe(text.trim());
      }),
    );
  });

  it('reads a leading mention as the platform sends an @-message: the rest, trimmed', () => {
    fc.assert(
      fc.property(mention, mentionFree, (at, text) => {
        expect(stripMentions(`${at} ${text}`)).toBe(text.trim());
      }),
    );
  });

  it('removes every mention and no line break', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mention, escapedText), { maxLength: 8 }), (parts) => {
        const content = parts.join('');
        const stripped = stripMentions(content);
        expect(MENTION.test(stripped)).toBe(false);
        const lineBreaks = (text: string): number => text.split('\n').length;
        // Only the ends are trimmed: every line break between two kept characters stays.
        expect(lineBreaks(stripped)).toBe(lineBreaks(content.replace(new RegExp(MENTION, 'g'), '').trim()));
      }),
    );
  });
});

describe('cleanContent of message models', () => {
  it('keeps the lines of a guild message after its mention', () => {
    const wire = {
      id: 'm1',
      channel_id: 'c1',
      guild_id: 'g1',
      content: `<@!bot> ${NOTE.replace('```\ncode', '```\na &lt; b')}`,
      author: { id: 'u1', username: 'Alice' },
    };
    expect(new Message(wire as never, binding).cleanContent).toBe(NOTE.replace('```\ncode', '```\na < b'));
  });

  it('keeps the lines of a group message, only trimmed', () => {
    const wire = { id: 'g', content: ` ${NOTE}`, group_openid: 'G1', author: { member_openid: 'M1' } };
    expect(new GroupMessage(wire as never, binding).cleanContent).toBe(NOTE);
  });
});
