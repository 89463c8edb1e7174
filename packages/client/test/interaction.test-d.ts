import { expectTypeOf, test } from 'vitest';
import {
  EventReplyError,
  InteractionAckError,
  type BotErrorKind,
  type BotErrorKinds,
  type EventReplyRefusal,
  type ForumThread,
  type Interaction,
  type Member,
  type MessageReaction,
} from '@bot/client';

test('ack takes only the documented codes 0-5', () => {
  const interaction = {} as Interaction;
  void interaction.ack(0);
  void interaction.ack(5);
  // @ts-expect-error 6 is no acknowledgement code
  void interaction.ack(6);
  expectTypeOf(interaction.acknowledged).toEqualTypeOf<0 | 1 | 2 | 3 | 4 | 5 | undefined>();
});

test('the refusals are kinds a switch narrows', () => {
  const error = {} as BotErrorKinds[BotErrorKind];
  switch (error.kind) {
    case 'eventReply':
      expectTypeOf(error).toEqualTypeOf<EventReplyError>();
      expectTypeOf(error.reason).toEqualTypeOf<EventReplyRefusal>();
      break;
    case 'interactionAck':
      expectTypeOf(error).toEqualTypeOf<InteractionAckError>();
      break;
  }
});

test('a member event names no channel, so its answer takes one; a reaction answers in its own', () => {
  const member = {} as Member;
  const reaction = {} as MessageReaction;
  void member.reply('channel-id', 'welcome');
  // @ts-expect-error the channel is required
  void member.reply('welcome');
  void reaction.reply('noted');
  const thread = {} as ForumThread;
  void thread.reply('channel-id', 'nice thread');
  // @ts-expect-error a forum event names no channel an answer can go to: the caller names one
  void thread.reply('nice thread');
  expectTypeOf(member.guildId).toEqualTypeOf<string>();
  expectTypeOf(reaction.emoji?.id).toEqualTypeOf<string | undefined>();
});
