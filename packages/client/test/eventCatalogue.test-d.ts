import { expectTypeOf, test } from 'vitest';
import {
  AudioChannelMember,
  AudioEvent,
  C2CMessage,
  Channel,
  DirectMessage,
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
  MODEL_BUILDERS,
  OpenForumEvent,
  Ready,
  type ByEventName,
  type Context,
  type DispatchEventHandlers,
  type EventModels,
  type EventHandler,
  type EventMethod,
  type HandlerResult,
  type ModelBuilders,
  type ModelOf,
} from '@bot/client';

/** The dispatch methods of `EventHandler` as they were written out by hand before the catalogue. */
interface HandWrittenEventMethods {
  ready?(ctx: Context, ready: Ready): HandlerResult;
  resumed?(ctx: Context): HandlerResult;
  messageCreate?(ctx: Context, message: Message): HandlerResult;
  guildMessageCreate?(ctx: Context, message: Message): HandlerResult;
  messageDelete?(ctx: Context, deletion: MessageDelete): HandlerResult;
  publicMessageDelete?(ctx: Context, deletion: MessageDelete): HandlerResult;
  directMessageCreate?(ctx: Context, message: DirectMessage): HandlerResult;
  directMessageDelete?(ctx: Context, deletion: MessageDelete): HandlerResult;
  groupMessageCreate?(ctx: Context, message: GroupMessage): HandlerResult;
  c2cMessageCreate?(ctx: Context, message: C2CMessage): HandlerResult;
  guildCreate?(ctx: Context, guild: Guild): HandlerResult;
  guildUpdate?(ctx: Context, guild: Guild): HandlerResult;
  guildDelete?(ctx: Context, guild: Guild): HandlerResult;
  channelCreate?(ctx: Context, channel: Channel): HandlerResult;
  channelUpdate?(ctx: Context, channel: Channel): HandlerResult;
  channelDelete?(ctx: Context, channel: Channel): HandlerResult;
  guildMemberAdd?(ctx: Context, member: Member): HandlerResult;
  guildMemberUpdate?(ctx: Context, member: Member): HandlerResult;
  guildMemberRemove?(ctx: Context, member: Member): HandlerResult;
  messageReactionAdd?(ctx: Context, reaction: MessageReaction): HandlerResult;
  messageReactionRemove?(ctx: Context, reaction: MessageReaction): HandlerResult;
  interactionCreate?(ctx: Context, interaction: Interaction): HandlerResult;
  messageAuditPass?(ctx: Context, audit: MessageAudit): HandlerResult;
  messageAuditReject?(ctx: Context, audit: MessageAudit): HandlerResult;
  groupAddRobot?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  groupDelRobot?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  groupMsgReject?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  groupMsgReceive?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  friendAdd?(ctx: Context, event: FriendEvent): HandlerResult;
  friendDel?(ctx: Context, event: FriendEvent): HandlerResult;
  c2cMsgReject?(ctx: Context, event: FriendEvent): HandlerResult;
  c2cMsgReceive?(ctx: Context, event: FriendEvent): HandlerResult;
  forumThreadCreate?(ctx: Context, thread: ForumThread): HandlerResult;
  forumThreadUpdate?(ctx: Context, thread: ForumThread): HandlerResult;
  forumThreadDelete?(ctx: Context, thread: ForumThread): HandlerResult;
  forumPostCreate?(ctx: Context, post: ForumPost): HandlerResult;
  forumPostDelete?(ctx: Context, post: ForumPost): HandlerResult;
  forumReplyCreate?(ctx: Context, reply: ForumReply): HandlerResult;
  forumReplyDelete?(ctx: Context, reply: ForumReply): HandlerResult;
  forumPublishAuditResult?(ctx: Context, result: ForumPublishAudit): HandlerResult;
  openForumThreadCreate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  openForumThreadUpdate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  openForumThreadDelete?(ctx: Context, event: OpenForumEvent): HandlerResult;
  openForumPostCreate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  openForumPostDelete?(ctx: Context, event: OpenForumEvent): HandlerResult;
  openForumReplyCreate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  openForumReplyDelete?(ctx: Context, event: OpenForumEvent): HandlerResult;
  audioStart?(ctx: Context, event: AudioEvent): HandlerResult;
  audioFinish?(ctx: Context, event: AudioEvent): HandlerResult;
  audioOnMic?(ctx: Context, event: AudioEvent): HandlerResult;
  audioOffMic?(ctx: Context, event: AudioEvent): HandlerResult;
  audioOrLiveChannelMemberEnter?(ctx: Context, event: AudioChannelMember): HandlerResult;
  audioOrLiveChannelMemberExit?(ctx: Context, event: AudioChannelMember): HandlerResult;
}

test('the derived handler methods are the hand-written ones: same names, same arguments', () => {
  expectTypeOf<DispatchEventHandlers>().toEqualTypeOf<HandWrittenEventMethods>();
  expectTypeOf<Pick<EventHandler, EventMethod>>().toEqualTypeOf<HandWrittenEventMethods>();
  expectTypeOf<EventMethod>().toEqualTypeOf<keyof HandWrittenEventMethods>();
});

test('a few events, method by method', () => {
  expectTypeOf<EventHandler['messageCreate']>().toEqualTypeOf<
    ((ctx: Context, message: Message) => HandlerResult) | undefined
  >();
  expectTypeOf<EventHandler['groupMessageCreate']>().toEqualTypeOf<
    ((ctx: Context, message: GroupMessage) => HandlerResult) | undefined
  >();
  expectTypeOf<EventHandler['resumed']>().toEqualTypeOf<((ctx: Context) => HandlerResult) | undefined>();
  expectTypeOf<EventHandler['audioOnMic']>().toEqualTypeOf<
    ((ctx: Context, event: AudioEvent) => HandlerResult) | undefined
  >();
  expectTypeOf<ModelOf<'C2C_MESSAGE_CREATE'>>().toEqualTypeOf<C2CMessage>();
});

test('an implementation may still narrow a parameter, as with any method', () => {
  class DirectOnly implements EventHandler {
    public guildMessageCreate(_ctx: Context, message: DirectMessage): void {
      void message.sourceGuildId;
    }
  }
  expectTypeOf<DirectOnly>().toMatchTypeOf<EventHandler>();
});

test('a model builder table missing an event fails to compile', () => {
  const { AUDIO_ON_MIC: _dropped, ...withoutOne } = MODEL_BUILDERS;
  // @ts-expect-error AUDIO_ON_MIC has no builder
  const missing: ModelBuilders = { ...withoutOne };
  expectTypeOf(missing).toEqualTypeOf<ModelBuilders>();
});

test('a builder returning another model, or reading another payload, fails to compile', () => {
  const wrongModel: ModelBuilders = {
    ...MODEL_BUILDERS,
    // @ts-expect-error AT_MESSAGE_CREATE's model is a Message, not a MessageDelete
    AT_MESSAGE_CREATE: () => new MessageDelete({ message: { id: 'm' }, op_user: { id: 'u' } }),
  };
  const wrongPayload: ModelBuilders = {
    ...MODEL_BUILDERS,
    // @ts-expect-error GUILD_CREATE's payload is a guild event, which has no channel's parent_id
    GUILD_CREATE: (d) => new Guild(d.parent_id),
  };
  expectTypeOf(wrongModel).toEqualTypeOf(wrongPayload);
});

test('an event the catalogue does not declare has no model', () => {
  // @ts-expect-error ENTER_AIO is not in the catalogue
  expectTypeOf<ModelOf<'ENTER_AIO'>>().toBeNever();
});

test('a model map must name exactly the catalogue events', () => {
  type Complete = { [Name in keyof EventModels]: EventModels[Name] };
  expectTypeOf<ByEventName<Complete>>().toEqualTypeOf<EventModels>();
  // @ts-expect-error AUDIO_ON_MIC has no model
  expectTypeOf<ByEventName<Omit<Complete, 'AUDIO_ON_MIC'>>>().not.toBeNever();
  // @ts-expect-error ENTER_AIO is not in the catalogue
  expectTypeOf<ByEventName<Complete & { ENTER_AIO: Ready }>>().not.toBeNever();
});
