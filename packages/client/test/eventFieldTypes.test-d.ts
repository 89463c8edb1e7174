import { expectTypeOf, test } from 'vitest';
import type { InteractionResolved } from '@bot/http';
import type {
  ForumPost,
  ForumReply,
  ForumThread,
  Interaction,
  Member,
  MessageReaction,
  Ready,
} from '@bot/client';
import type { ReadyData } from '@bot/http';

/*
 * The interaction, member, reaction, forum and READY models type their fields as their checks let them
 * through (dispatch.malformedInteraction.test and eventModels.wireTypes.property.test run the
 * checks): required where a payload without the field is refused, optional where it is delivered,
 * and open to kinds the wire types do not list where any integer passes.
 */

test('an interaction: id and kind required, the kind open to ones added since', () => {
  const interaction = {} as Interaction;
  expectTypeOf(interaction.raw.id).toEqualTypeOf<string>();
  // Any integer: the platform sends kinds the wire type does not list (13, a feedback press).
  expectTypeOf(interaction.raw.type).toEqualTypeOf<number>();
  expectTypeOf(interaction.data.type).toEqualTypeOf<number>();
  expectTypeOf(interaction.raw.chat_type).toEqualTypeOf<number | string | undefined>();
  // The documentation's field list leaves `data.type` out: delivered without it.
  expectTypeOf(interaction.raw.data?.type).toEqualTypeOf<number | undefined>();
  expectTypeOf(interaction.data.data?.type).toEqualTypeOf<number | undefined>();
  expectTypeOf(interaction.raw.data?.resolved).toEqualTypeOf<InteractionResolved | undefined>();
  expectTypeOf(interaction.data.data?.resolved?.buttonData).toEqualTypeOf<string | undefined>();
  expectTypeOf(interaction.raw.group_openid).toEqualTypeOf<string | undefined>();
});

test("a member's user name is optional, its id required", () => {
  const member = {} as Member;
  expectTypeOf(member.user.id).toEqualTypeOf<string>();
  expectTypeOf(member.user.username).toEqualTypeOf<string | undefined>();
  expectTypeOf(member.guildId).toEqualTypeOf<string>();
});

test("a reaction's guild, target and emoji are optional; its channel and user required", () => {
  const reaction = {} as MessageReaction;
  expectTypeOf(reaction.channelId).toEqualTypeOf<string>();
  expectTypeOf(reaction.userId).toEqualTypeOf<string>();
  expectTypeOf(reaction.guildId).toEqualTypeOf<string | undefined>();
  expectTypeOf(reaction.target?.id).toEqualTypeOf<string | undefined>();
  expectTypeOf(reaction.emoji?.id).toEqualTypeOf<string | undefined>();
  expectTypeOf(reaction.target?.type).toEqualTypeOf<string | number | undefined>();
  expectTypeOf(reaction.emoji?.type).toEqualTypeOf<string | number | undefined>();
});

test('a forum event: its ids required, strings or numbers; its nested object optional', () => {
  const thread = {} as ForumThread;
  const post = {} as ForumPost;
  const reply = {} as ForumReply;
  expectTypeOf(thread.guildId).toEqualTypeOf<string | number>();
  expectTypeOf(post.channelId).toEqualTypeOf<string | number>();
  expectTypeOf(reply.authorId).toEqualTypeOf<string | number>();
  expectTypeOf(thread.threadInfo?.threadId).toEqualTypeOf<string | undefined>();
  expectTypeOf(post.postInfo?.postId).toEqualTypeOf<string | undefined>();
  expectTypeOf(reply.replyInfo?.dateTime).toEqualTypeOf<string | undefined>();
});

test("a READY: its session id and the bot's user id required, the rest optional", () => {
  const ready = {} as Ready;
  expectTypeOf(ready.sessionId).toEqualTypeOf<string>();
  expectTypeOf(ready.user.id).toEqualTypeOf<string>();
  // The platform documents READY by one example, no field list (docs/protocol.md §3.4).
  expectTypeOf(ready.user.username).toEqualTypeOf<string | undefined>();
  expectTypeOf(ready.user.bot).toEqualTypeOf<boolean | undefined>();
  expectTypeOf(ready.version).toEqualTypeOf<number | undefined>();
  expectTypeOf(ready.shard).toEqualTypeOf<readonly [number, number]>();
  // Raw handlers see the same: the wire type says optional what the model does.
  expectTypeOf<ReadyData['user']['username']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<ReadyData['version']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<ReadyData['shard']>().toEqualTypeOf<[number, number] | undefined>();
});
