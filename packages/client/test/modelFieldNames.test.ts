import { describe, expect, it } from 'vitest';
import type { BotApi } from '@bot/http';
import { ForumThread, Guild, Member, MessageReaction } from '@bot/client';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { ReplyWindow } from '../src/models/reply/ReplyWindow.js';

/** A wire payload as JSON.parse gives it, typed as whatever the constructor takes. */
function wire<T>(text: string): T {
  return JSON.parse(text) as T;
}

describe('a wire field named like a model accessor or method', () => {
  const binding = { api: {} as BotApi, replies: new ReplySequencer() };

  it('leaves a Member its event, eventId, replyWindow and reply(), and keeps its other fields', () => {
    const payload = wire<ConstructorParameters<typeof Member>[0]>(
      '{"guild_id":"7","user":{"id":"1","username":"u"},"event_id":"x","reply":"y",' +
        '"event":"z","reply_window":"w","to_string":"s","nick":"n"}',
    );
    const member = new Member(payload, binding, 'GUILD_MEMBER_ADD', 'e1');
    expect(member.eventId).toBe('e1');
    expect(member.event).toBe('GUILD_MEMBER_ADD');
    expect(member.replyWindow).toBeInstanceOf(ReplyWindow);
    expect(member.replyWindow?.messageId).toBe('e1');
    expect(typeof member.reply).toBe('function');
    expect(`${member}`).toBe('[object Object]');
    expect({ ...member }).toEqual({ guildId: '7', user: { id: '1', username: 'u' }, nick: 'n' });
  });

  it('leaves the other guild event models and the snapshot models their accessors and methods', () => {
    const reaction = new MessageReaction(
      wire('{"user_id":"1","channel_id":"c","event_id":"x","reply":"y"}'),
      binding,
      'MESSAGE_REACTION_ADD',
      'e2',
    );
    expect(reaction.eventId).toBe('e2');
    expect(typeof reaction.reply).toBe('function');
    expect(reaction.channelId).toBe('c');

    const thread = new ForumThread(
      wire('{"guild_id":"g","channel_id":"c","author_id":"u","reply_window":"w","answer":"a"}'),
      binding,
      'FORUM_THREAD_UPDATE',
      'e3',
    );
    expect(thread.replyWindow?.messageId).toBe('e3');
    expect({ ...thread }).toEqual({ guildId: 'g', channelId: 'c', authorId: 'u' });

    const guild = new Guild(wire('{"id":"g","name":"n","to_string":"s","constructor":"c"}'));
    expect(guild).toBeInstanceOf(Guild);
    expect(guild.constructor).toBe(Guild);
    expect(`${guild}`).toBe('[object Object]');
    expect({ ...guild }).toEqual({ id: 'g', name: 'n' });
  });
});
