import type { DispatchEventMap, DispatchEventName } from '@bot/core';
import { C2CMessage } from './C2CMessage.js';
import { DirectMessage } from './DirectMessage.js';
import { FriendEvent, GroupRobotEvent, MessageDelete, Ready } from './events.js';
import { GroupMessage } from './GroupMessage.js';
import { ForumPost, ForumReply, ForumThread, Member, MessageReaction } from './guildEvents.js';
import { Interaction } from './Interaction.js';
import { Message } from './Message.js';
import type { ModelBinding } from './ModelBinding.js';
import {
  AudioChannelMember,
  AudioEvent,
  Channel,
  ForumPublishAudit,
  Guild,
  MessageAudit,
  OpenForumEvent,
} from './snapshots.js';

/**
 * Accepts a map only when its keys are exactly the catalogue's event names: a missing event and
 * one the catalogue no longer declares both fail to compile, at the map.
 */
export type ByEventName<
  Map extends Record<DispatchEventName, unknown> & Record<Exclude<keyof Map, DispatchEventName>, never>,
> = Map;

/**
 * The model each dispatch event's handler method receives, by event name; `undefined` for
 * `RESUMED`, whose method takes none. The handler methods of `EventHandler` are derived from this
 * map and the catalogue of `@bot/core` (`DISPATCH_EVENTS`).
 */
export type EventModels = ByEventName<{
  READY: Ready;
  RESUMED: undefined;
  GUILD_CREATE: Guild;
  GUILD_UPDATE: Guild;
  GUILD_DELETE: Guild;
  CHANNEL_CREATE: Channel;
  CHANNEL_UPDATE: Channel;
  CHANNEL_DELETE: Channel;
  GUILD_MEMBER_ADD: Member;
  GUILD_MEMBER_UPDATE: Member;
  GUILD_MEMBER_REMOVE: Member;
  AT_MESSAGE_CREATE: Message;
  MESSAGE_CREATE: Message;
  MESSAGE_DELETE: MessageDelete;
  PUBLIC_MESSAGE_DELETE: MessageDelete;
  DIRECT_MESSAGE_CREATE: DirectMessage;
  DIRECT_MESSAGE_DELETE: MessageDelete;
  GROUP_AT_MESSAGE_CREATE: GroupMessage;
  C2C_MESSAGE_CREATE: C2CMessage;
  MESSAGE_REACTION_ADD: MessageReaction;
  MESSAGE_REACTION_REMOVE: MessageReaction;
  INTERACTION_CREATE: Interaction;
  MESSAGE_AUDIT_PASS: MessageAudit;
  MESSAGE_AUDIT_REJECT: MessageAudit;
  GROUP_ADD_ROBOT: GroupRobotEvent;
  GROUP_DEL_ROBOT: GroupRobotEvent;
  GROUP_MSG_REJECT: GroupRobotEvent;
  GROUP_MSG_RECEIVE: GroupRobotEvent;
  FRIEND_ADD: FriendEvent;
  FRIEND_DEL: FriendEvent;
  C2C_MSG_REJECT: FriendEvent;
  C2C_MSG_RECEIVE: FriendEvent;
  FORUM_THREAD_CREATE: ForumThread;
  FORUM_THREAD_UPDATE: ForumThread;
  FORUM_THREAD_DELETE: ForumThread;
  FORUM_POST_CREATE: ForumPost;
  FORUM_POST_DELETE: ForumPost;
  FORUM_REPLY_CREATE: ForumReply;
  FORUM_REPLY_DELETE: ForumReply;
  FORUM_PUBLISH_AUDIT_RESULT: ForumPublishAudit;
  OPEN_FORUM_THREAD_CREATE: OpenForumEvent;
  OPEN_FORUM_THREAD_UPDATE: OpenForumEvent;
  OPEN_FORUM_THREAD_DELETE: OpenForumEvent;
  OPEN_FORUM_POST_CREATE: OpenForumEvent;
  OPEN_FORUM_POST_DELETE: OpenForumEvent;
  OPEN_FORUM_REPLY_CREATE: OpenForumEvent;
  OPEN_FORUM_REPLY_DELETE: OpenForumEvent;
  AUDIO_START: AudioEvent;
  AUDIO_FINISH: AudioEvent;
  AUDIO_ON_MIC: AudioEvent;
  AUDIO_OFF_MIC: AudioEvent;
  AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER: AudioChannelMember;
  AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT: AudioChannelMember;
}>;

/** The model an event's handler method receives: `ModelOf<'AT_MESSAGE_CREATE'>` is {@link Message}. */
export type ModelOf<Name extends DispatchEventName> = EventModels[Name];

/**
 * Builds an event's model from its payload.
 *
 * @param payload - the dispatch's `d`
 * @param binding - the API and reply numbering the model acts with
 * @param eventId - the dispatch's `id`, which replies to events quote
 */
export type ModelBuilder<Name extends DispatchEventName> = (
  payload: DispatchEventMap[Name],
  binding: ModelBinding,
  eventId: string | undefined,
) => ModelOf<Name>;

/** A builder for every event of the catalogue, each taking its payload and returning its model. */
export type ModelBuilders = { readonly [Name in DispatchEventName]: ModelBuilder<Name> };

const guild = (d: DispatchEventMap['GUILD_CREATE']) => new Guild(d);
const channel = (d: DispatchEventMap['CHANNEL_CREATE']) => new Channel(d);
// Events several names share: the model is told which one it is, as only some can be answered.
const member =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['GUILD_MEMBER_ADD'], b: ModelBinding, id: string | undefined) =>
    new Member(d, b, event, id);
const deletion = (d: DispatchEventMap['MESSAGE_DELETE']) => new MessageDelete(d);
const reaction =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['MESSAGE_REACTION_ADD'], b: ModelBinding, id: string | undefined) =>
    new MessageReaction(d, b, event, id);
const audit = (d: DispatchEventMap['MESSAGE_AUDIT_PASS']) => new MessageAudit(d);
const groupRobot =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['GROUP_ADD_ROBOT'], b: ModelBinding, id: string | undefined) =>
    new GroupRobotEvent(d, b, id, event);
const friend =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['FRIEND_ADD'], b: ModelBinding, id: string | undefined) =>
    new FriendEvent(d, b, id, event);
const thread =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['FORUM_THREAD_CREATE'], b: ModelBinding, id: string | undefined) =>
    new ForumThread(d, b, event, id);
const post =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['FORUM_POST_CREATE'], b: ModelBinding, id: string | undefined) =>
    new ForumPost(d, b, event, id);
const reply =
  (event: DispatchEventName) =>
  (d: DispatchEventMap['FORUM_REPLY_CREATE'], b: ModelBinding, id: string | undefined) =>
    new ForumReply(d, b, event, id);
const openForum = (d: DispatchEventMap['OPEN_FORUM_THREAD_CREATE']) => new OpenForumEvent(d);
const audio = (d: DispatchEventMap['AUDIO_START']) => new AudioEvent(d);
const audioMember = (d: DispatchEventMap['AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER']) => new AudioChannelMember(d);

/**
 * How each event's model is built from its payload. Typed against the catalogue and
 * {@link EventModels}: an event without a builder, or a builder that takes another payload or
 * returns another model, fails to compile.
 */
export const MODEL_BUILDERS: ModelBuilders = {
  READY: (d) => new Ready(d),
  RESUMED: () => undefined,
  GUILD_CREATE: guild,
  GUILD_UPDATE: guild,
  GUILD_DELETE: guild,
  CHANNEL_CREATE: channel,
  CHANNEL_UPDATE: channel,
  CHANNEL_DELETE: channel,
  GUILD_MEMBER_ADD: member('GUILD_MEMBER_ADD'),
  GUILD_MEMBER_UPDATE: member('GUILD_MEMBER_UPDATE'),
  GUILD_MEMBER_REMOVE: member('GUILD_MEMBER_REMOVE'),
  AT_MESSAGE_CREATE: (d, b, id) => new Message(d, b, id),
  MESSAGE_CREATE: (d, b, id) => new Message(d, b, id),
  MESSAGE_DELETE: deletion,
  PUBLIC_MESSAGE_DELETE: deletion,
  DIRECT_MESSAGE_CREATE: (d, b, id) => new DirectMessage(d, b, id),
  DIRECT_MESSAGE_DELETE: deletion,
  GROUP_AT_MESSAGE_CREATE: (d, b, id) => new GroupMessage(d, b, id),
  C2C_MESSAGE_CREATE: (d, b, id) => new C2CMessage(d, b, id),
  MESSAGE_REACTION_ADD: reaction('MESSAGE_REACTION_ADD'),
  MESSAGE_REACTION_REMOVE: reaction('MESSAGE_REACTION_REMOVE'),
  INTERACTION_CREATE: (d, b, id) => new Interaction(d, b, id),
  MESSAGE_AUDIT_PASS: audit,
  MESSAGE_AUDIT_REJECT: audit,
  GROUP_ADD_ROBOT: groupRobot('GROUP_ADD_ROBOT'),
  GROUP_DEL_ROBOT: groupRobot('GROUP_DEL_ROBOT'),
  GROUP_MSG_REJECT: groupRobot('GROUP_MSG_REJECT'),
  GROUP_MSG_RECEIVE: groupRobot('GROUP_MSG_RECEIVE'),
  FRIEND_ADD: friend('FRIEND_ADD'),
  FRIEND_DEL: friend('FRIEND_DEL'),
  C2C_MSG_REJECT: friend('C2C_MSG_REJECT'),
  C2C_MSG_RECEIVE: friend('C2C_MSG_RECEIVE'),
  FORUM_THREAD_CREATE: thread('FORUM_THREAD_CREATE'),
  FORUM_THREAD_UPDATE: thread('FORUM_THREAD_UPDATE'),
  FORUM_THREAD_DELETE: thread('FORUM_THREAD_DELETE'),
  FORUM_POST_CREATE: post('FORUM_POST_CREATE'),
  FORUM_POST_DELETE: post('FORUM_POST_DELETE'),
  FORUM_REPLY_CREATE: reply('FORUM_REPLY_CREATE'),
  FORUM_REPLY_DELETE: reply('FORUM_REPLY_DELETE'),
  FORUM_PUBLISH_AUDIT_RESULT: (d) => new ForumPublishAudit(d),
  OPEN_FORUM_THREAD_CREATE: openForum,
  OPEN_FORUM_THREAD_UPDATE: openForum,
  OPEN_FORUM_THREAD_DELETE: openForum,
  OPEN_FORUM_POST_CREATE: openForum,
  OPEN_FORUM_POST_DELETE: openForum,
  OPEN_FORUM_REPLY_CREATE: openForum,
  OPEN_FORUM_REPLY_DELETE: openForum,
  AUDIO_START: audio,
  AUDIO_FINISH: audio,
  AUDIO_ON_MIC: audio,
  AUDIO_OFF_MIC: audio,
  AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER: audioMember,
  AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT: audioMember,
};
