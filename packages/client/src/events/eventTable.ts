import type { DispatchEventMap, DispatchEventName } from '@bot/http';
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
  OpenForumEvent,
  Ready,
  type ModelBinding,
} from '../models/index.js';
import type { EventMethod } from './EventHandler.js';

/** How one dispatch event reaches handlers: the method called and how its model is built. */
export interface EventRoute<Name extends DispatchEventName = DispatchEventName> {
  /** The {@link EventHandler} method called. */
  method: EventMethod;
  /** Builds the model passed to the method; `undefined` for methods that take none (`resumed`). */
  toModel: (data: DispatchEventMap[Name], binding: ModelBinding, eventId: string | undefined) => unknown;
}

/** Every event the client models, by wire name: its handler method and how its model is built. */
export type EventTable = { [Name in DispatchEventName]: EventRoute<Name> };

const guild = (d: DispatchEventMap['GUILD_CREATE']) => new Guild(d);
const channel = (d: DispatchEventMap['CHANNEL_CREATE']) => new Channel(d);
const member = (d: DispatchEventMap['GUILD_MEMBER_ADD']) => new Member(d);
const deletion = (d: DispatchEventMap['MESSAGE_DELETE']) => new MessageDelete(d);
const reaction = (d: DispatchEventMap['MESSAGE_REACTION_ADD']) => new MessageReaction(d);
const audit = (d: DispatchEventMap['MESSAGE_AUDIT_PASS']) => new MessageAudit(d);
const groupRobot = (d: DispatchEventMap['GROUP_ADD_ROBOT'], b: ModelBinding, id: string | undefined) =>
  new GroupRobotEvent(d, b, id);
const friend = (d: DispatchEventMap['FRIEND_ADD'], b: ModelBinding, id: string | undefined) =>
  new FriendEvent(d, b, id);
const thread = (d: DispatchEventMap['FORUM_THREAD_CREATE']) => new ForumThread(d);
const post = (d: DispatchEventMap['FORUM_POST_CREATE']) => new ForumPost(d);
const reply = (d: DispatchEventMap['FORUM_REPLY_CREATE']) => new ForumReply(d);
const openForum = (d: DispatchEventMap['OPEN_FORUM_THREAD_CREATE']) => new OpenForumEvent(d);
const audio = (d: DispatchEventMap['AUDIO_START']) => new AudioEvent(d);
const audioMember = (d: DispatchEventMap['AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER']) => new AudioChannelMember(d);

/**
 * Every event the platform documents, by its exact wire name (UPPER_SNAKE: `AUDIO_ON_MIC`, not
 * `audio_on_mic`), with the handler method it calls. Events missing here still reach raw handlers.
 * The README's event table is this table.
 */
export const EVENT_TABLE: Readonly<EventTable> = {
  READY: { method: 'ready', toModel: (d) => new Ready(d) },
  RESUMED: { method: 'resumed', toModel: () => undefined },
  GUILD_CREATE: { method: 'guildCreate', toModel: guild },
  GUILD_UPDATE: { method: 'guildUpdate', toModel: guild },
  GUILD_DELETE: { method: 'guildDelete', toModel: guild },
  CHANNEL_CREATE: { method: 'channelCreate', toModel: channel },
  CHANNEL_UPDATE: { method: 'channelUpdate', toModel: channel },
  CHANNEL_DELETE: { method: 'channelDelete', toModel: channel },
  GUILD_MEMBER_ADD: { method: 'guildMemberAdd', toModel: member },
  GUILD_MEMBER_UPDATE: { method: 'guildMemberUpdate', toModel: member },
  GUILD_MEMBER_REMOVE: { method: 'guildMemberRemove', toModel: member },
  AT_MESSAGE_CREATE: { method: 'messageCreate', toModel: (d, b, id) => new Message(d, b, id) },
  MESSAGE_CREATE: { method: 'guildMessageCreate', toModel: (d, b, id) => new Message(d, b, id) },
  MESSAGE_DELETE: { method: 'messageDelete', toModel: deletion },
  PUBLIC_MESSAGE_DELETE: { method: 'publicMessageDelete', toModel: deletion },
  DIRECT_MESSAGE_CREATE: {
    method: 'directMessageCreate',
    toModel: (d, b, id) => new DirectMessage(d, b, id),
  },
  DIRECT_MESSAGE_DELETE: { method: 'directMessageDelete', toModel: deletion },
  GROUP_AT_MESSAGE_CREATE: {
    method: 'groupMessageCreate',
    toModel: (d, b, id) => new GroupMessage(d, b, id),
  },
  C2C_MESSAGE_CREATE: { method: 'c2cMessageCreate', toModel: (d, b, id) => new C2CMessage(d, b, id) },
  MESSAGE_REACTION_ADD: { method: 'messageReactionAdd', toModel: reaction },
  MESSAGE_REACTION_REMOVE: { method: 'messageReactionRemove', toModel: reaction },
  INTERACTION_CREATE: { method: 'interactionCreate', toModel: (d, b) => new Interaction(d, b) },
  MESSAGE_AUDIT_PASS: { method: 'messageAuditPass', toModel: audit },
  MESSAGE_AUDIT_REJECT: { method: 'messageAuditReject', toModel: audit },
  GROUP_ADD_ROBOT: { method: 'groupAddRobot', toModel: groupRobot },
  GROUP_DEL_ROBOT: { method: 'groupDelRobot', toModel: groupRobot },
  GROUP_MSG_REJECT: { method: 'groupMsgReject', toModel: groupRobot },
  GROUP_MSG_RECEIVE: { method: 'groupMsgReceive', toModel: groupRobot },
  FRIEND_ADD: { method: 'friendAdd', toModel: friend },
  FRIEND_DEL: { method: 'friendDel', toModel: friend },
  C2C_MSG_REJECT: { method: 'c2cMsgReject', toModel: friend },
  C2C_MSG_RECEIVE: { method: 'c2cMsgReceive', toModel: friend },
  FORUM_THREAD_CREATE: { method: 'forumThreadCreate', toModel: thread },
  FORUM_THREAD_UPDATE: { method: 'forumThreadUpdate', toModel: thread },
  FORUM_THREAD_DELETE: { method: 'forumThreadDelete', toModel: thread },
  FORUM_POST_CREATE: { method: 'forumPostCreate', toModel: post },
  FORUM_POST_DELETE: { method: 'forumPostDelete', toModel: post },
  FORUM_REPLY_CREATE: { method: 'forumReplyCreate', toModel: reply },
  FORUM_REPLY_DELETE: { method: 'forumReplyDelete', toModel: reply },
  FORUM_PUBLISH_AUDIT_RESULT: { method: 'forumPublishAuditResult', toModel: (d) => new ForumPublishAudit(d) },
  OPEN_FORUM_THREAD_CREATE: { method: 'openForumThreadCreate', toModel: openForum },
  OPEN_FORUM_THREAD_UPDATE: { method: 'openForumThreadUpdate', toModel: openForum },
  OPEN_FORUM_THREAD_DELETE: { method: 'openForumThreadDelete', toModel: openForum },
  OPEN_FORUM_POST_CREATE: { method: 'openForumPostCreate', toModel: openForum },
  OPEN_FORUM_POST_DELETE: { method: 'openForumPostDelete', toModel: openForum },
  OPEN_FORUM_REPLY_CREATE: { method: 'openForumReplyCreate', toModel: openForum },
  OPEN_FORUM_REPLY_DELETE: { method: 'openForumReplyDelete', toModel: openForum },
  AUDIO_START: { method: 'audioStart', toModel: audio },
  AUDIO_FINISH: { method: 'audioFinish', toModel: audio },
  AUDIO_ON_MIC: { method: 'audioOnMic', toModel: audio },
  AUDIO_OFF_MIC: { method: 'audioOffMic', toModel: audio },
  AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER: { method: 'audioOrLiveChannelMemberEnter', toModel: audioMember },
  AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT: { method: 'audioOrLiveChannelMemberExit', toModel: audioMember },
};

/** The table as a `Map`: one hash lookup per event, whatever name the platform sends. */
const ROUTES: ReadonlyMap<string, EventRoute> = new Map(
  Object.entries(EVENT_TABLE) as [string, EventRoute][],
);

/**
 * Looks up the route of an event name; `undefined` for events this framework does not model.
 *
 * @param name - the `t` of a dispatch payload
 */
export function routeOf(name: string | undefined): EventRoute | undefined {
  return name === undefined ? undefined : ROUTES.get(name);
}
