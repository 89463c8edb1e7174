// The event catalogue, one table with one short declaration per event, kept whole on purpose:
// split into files, an event's facts would no longer sit beside those of its neighbours, and
// adding one would mean finding the right file first. The lookups derived from it are in
// eventIntents.ts, the payload marker it uses in payloadType.ts.
import type { IntentName } from '../intents/Intents.js';
import type { AudioAction, AudioLiveChannelMember } from '../wire/audio.js';
import type {
  C2cMessageCreate,
  ChannelEvent,
  FriendEvent,
  GroupMessageCreate,
  GroupRobotEvent,
  GuildEvent,
  GuildMemberEvent,
} from '../wire/events.js';
import type { ForumAuditResult, OpenForumEvent, Post, Reply, Thread } from '../wire/forum.js';
import type { ReadyData } from '../wire/gateway.js';
import type { Interaction } from '../wire/interaction.js';
import type { MessageAudited, MessageDelete, Message } from '../wire/message.js';
import type { MessageReaction } from '../wire/reaction.js';
import { payload, type PayloadOf, type PayloadType } from './payloadType.js';

/** What the catalogue says of one dispatch event. */
export interface DispatchEventDeclaration {
  /**
   * The intent whose bit subscribes a session to the event; `null` for the events every session
   * receives (`READY`, `RESUMED`).
   */
  readonly intent: IntentName | null;
  /** The `EventHandler` method the client calls for it (camelCase, unique in the catalogue). */
  readonly method: string;
  /** The type of the event's `d`. */
  readonly payload: PayloadType<unknown>;
}

/**
 * Every dispatch event the framework types, by its exact wire name (`t`): the intent that gates
 * it, the `EventHandler` method it calls and the type of its payload. This is the one place an
 * event is declared: the wire map ({@link DispatchEventMap}), the client's handler methods, the
 * intent checks and the emulator's event lists are derived from it. Events missing here (new or
 * undocumented ones) still reach raw handlers with `d: unknown`.
 */
export const DISPATCH_EVENTS = {
  /** `READY`: a shard's session is established. */
  READY: { intent: null, method: 'ready', payload: payload<ReadyData>() },
  /** `RESUMED`: a shard resumed its session; missed events were replayed before this. */
  RESUMED: { intent: null, method: 'resumed', payload: payload<string>() },

  /** `GUILD_CREATE`: the bot joined a guild. */
  GUILD_CREATE: { intent: 'GUILDS', method: 'guildCreate', payload: payload<GuildEvent>() },
  /** `GUILD_UPDATE`: a guild changed. */
  GUILD_UPDATE: { intent: 'GUILDS', method: 'guildUpdate', payload: payload<GuildEvent>() },
  /** `GUILD_DELETE`: the bot left or was removed from a guild. */
  GUILD_DELETE: { intent: 'GUILDS', method: 'guildDelete', payload: payload<GuildEvent>() },
  /** `CHANNEL_CREATE`. */
  CHANNEL_CREATE: { intent: 'GUILDS', method: 'channelCreate', payload: payload<ChannelEvent>() },
  /** `CHANNEL_UPDATE`. */
  CHANNEL_UPDATE: { intent: 'GUILDS', method: 'channelUpdate', payload: payload<ChannelEvent>() },
  /** `CHANNEL_DELETE`. */
  CHANNEL_DELETE: { intent: 'GUILDS', method: 'channelDelete', payload: payload<ChannelEvent>() },
  /** `GUILD_MEMBER_ADD`. */
  GUILD_MEMBER_ADD: {
    intent: 'GUILD_MEMBERS',
    method: 'guildMemberAdd',
    payload: payload<GuildMemberEvent>(),
  },
  /** `GUILD_MEMBER_UPDATE`. */
  GUILD_MEMBER_UPDATE: {
    intent: 'GUILD_MEMBERS',
    method: 'guildMemberUpdate',
    payload: payload<GuildMemberEvent>(),
  },
  /** `GUILD_MEMBER_REMOVE`. */
  GUILD_MEMBER_REMOVE: {
    intent: 'GUILD_MEMBERS',
    method: 'guildMemberRemove',
    payload: payload<GuildMemberEvent>(),
  },

  /** `AT_MESSAGE_CREATE`: a guild message mentions the bot (public-domain bots). */
  AT_MESSAGE_CREATE: {
    intent: 'PUBLIC_GUILD_MESSAGES',
    method: 'messageCreate',
    payload: payload<Message>(),
  },
  /** `MESSAGE_CREATE`: any guild message (private-domain bots, intent GUILD_MESSAGES). */
  MESSAGE_CREATE: { intent: 'GUILD_MESSAGES', method: 'guildMessageCreate', payload: payload<Message>() },
  /** `MESSAGE_DELETE`: a guild message was recalled (private-domain bots). */
  MESSAGE_DELETE: { intent: 'GUILD_MESSAGES', method: 'messageDelete', payload: payload<MessageDelete>() },
  /** `PUBLIC_MESSAGE_DELETE`: a message that mentioned the bot was recalled. */
  PUBLIC_MESSAGE_DELETE: {
    intent: 'PUBLIC_GUILD_MESSAGES',
    method: 'publicMessageDelete',
    payload: payload<MessageDelete>(),
  },
  /** `DIRECT_MESSAGE_CREATE`: a guild direct message. */
  DIRECT_MESSAGE_CREATE: {
    intent: 'DIRECT_MESSAGE',
    method: 'directMessageCreate',
    payload: payload<Message>(),
  },
  /** `DIRECT_MESSAGE_DELETE`: a guild direct message was recalled. */
  DIRECT_MESSAGE_DELETE: {
    intent: 'DIRECT_MESSAGE',
    method: 'directMessageDelete',
    payload: payload<MessageDelete>(),
  },
  /** `GROUP_AT_MESSAGE_CREATE`: a group message mentions the bot. */
  GROUP_AT_MESSAGE_CREATE: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'groupMessageCreate',
    payload: payload<GroupMessageCreate>(),
  },
  /** `C2C_MESSAGE_CREATE`: a user messaged the bot one-to-one. */
  C2C_MESSAGE_CREATE: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'c2cMessageCreate',
    payload: payload<C2cMessageCreate>(),
  },

  /** `MESSAGE_REACTION_ADD`. */
  MESSAGE_REACTION_ADD: {
    intent: 'GUILD_MESSAGE_REACTIONS',
    method: 'messageReactionAdd',
    payload: payload<MessageReaction>(),
  },
  /** `MESSAGE_REACTION_REMOVE`. */
  MESSAGE_REACTION_REMOVE: {
    intent: 'GUILD_MESSAGE_REACTIONS',
    method: 'messageReactionRemove',
    payload: payload<MessageReaction>(),
  },
  /** `INTERACTION_CREATE`: a button was pressed; call `interaction.ack()`. */
  INTERACTION_CREATE: { intent: 'INTERACTION', method: 'interactionCreate', payload: payload<Interaction>() },
  /** `MESSAGE_AUDIT_PASS`: a message held for audit was published. */
  MESSAGE_AUDIT_PASS: {
    intent: 'MESSAGE_AUDIT',
    method: 'messageAuditPass',
    payload: payload<MessageAudited>(),
  },
  /** `MESSAGE_AUDIT_REJECT`: a message held for audit was rejected. */
  MESSAGE_AUDIT_REJECT: {
    intent: 'MESSAGE_AUDIT',
    method: 'messageAuditReject',
    payload: payload<MessageAudited>(),
  },

  /** `GROUP_ADD_ROBOT`: the bot was added to a group. */
  GROUP_ADD_ROBOT: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'groupAddRobot',
    payload: payload<GroupRobotEvent>(),
  },
  /** `GROUP_DEL_ROBOT`: the bot was removed from a group. */
  GROUP_DEL_ROBOT: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'groupDelRobot',
    payload: payload<GroupRobotEvent>(),
  },
  /** `GROUP_MSG_REJECT`: a group turned off the bot's proactive messages. */
  GROUP_MSG_REJECT: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'groupMsgReject',
    payload: payload<GroupRobotEvent>(),
  },
  /** `GROUP_MSG_RECEIVE`: a group turned the bot's proactive messages back on. */
  GROUP_MSG_RECEIVE: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'groupMsgReceive',
    payload: payload<GroupRobotEvent>(),
  },
  /** `FRIEND_ADD`: a user added the bot. */
  FRIEND_ADD: { intent: 'GROUP_AND_C2C_EVENT', method: 'friendAdd', payload: payload<FriendEvent>() },
  /** `FRIEND_DEL`: a user removed the bot. */
  FRIEND_DEL: { intent: 'GROUP_AND_C2C_EVENT', method: 'friendDel', payload: payload<FriendEvent>() },
  /** `C2C_MSG_REJECT`: a user turned off the bot's proactive messages. */
  C2C_MSG_REJECT: { intent: 'GROUP_AND_C2C_EVENT', method: 'c2cMsgReject', payload: payload<FriendEvent>() },
  /** `C2C_MSG_RECEIVE`: a user turned the bot's proactive messages back on. */
  C2C_MSG_RECEIVE: {
    intent: 'GROUP_AND_C2C_EVENT',
    method: 'c2cMsgReceive',
    payload: payload<FriendEvent>(),
  },

  /** `FORUM_THREAD_CREATE` (private-domain bots). */
  FORUM_THREAD_CREATE: { intent: 'FORUMS_EVENT', method: 'forumThreadCreate', payload: payload<Thread>() },
  /** `FORUM_THREAD_UPDATE`. */
  FORUM_THREAD_UPDATE: { intent: 'FORUMS_EVENT', method: 'forumThreadUpdate', payload: payload<Thread>() },
  /** `FORUM_THREAD_DELETE`. */
  FORUM_THREAD_DELETE: { intent: 'FORUMS_EVENT', method: 'forumThreadDelete', payload: payload<Thread>() },
  /** `FORUM_POST_CREATE`. */
  FORUM_POST_CREATE: { intent: 'FORUMS_EVENT', method: 'forumPostCreate', payload: payload<Post>() },
  /** `FORUM_POST_DELETE`. */
  FORUM_POST_DELETE: { intent: 'FORUMS_EVENT', method: 'forumPostDelete', payload: payload<Post>() },
  /** `FORUM_REPLY_CREATE`. */
  FORUM_REPLY_CREATE: { intent: 'FORUMS_EVENT', method: 'forumReplyCreate', payload: payload<Reply>() },
  /** `FORUM_REPLY_DELETE`. */
  FORUM_REPLY_DELETE: { intent: 'FORUMS_EVENT', method: 'forumReplyDelete', payload: payload<Reply>() },
  /** `FORUM_PUBLISH_AUDIT_RESULT`. */
  FORUM_PUBLISH_AUDIT_RESULT: {
    intent: 'FORUMS_EVENT',
    method: 'forumPublishAuditResult',
    payload: payload<ForumAuditResult>(),
  },
  /** `OPEN_FORUM_THREAD_CREATE` (public-domain bots). */
  OPEN_FORUM_THREAD_CREATE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumThreadCreate',
    payload: payload<OpenForumEvent>(),
  },
  /** `OPEN_FORUM_THREAD_UPDATE`. */
  OPEN_FORUM_THREAD_UPDATE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumThreadUpdate',
    payload: payload<OpenForumEvent>(),
  },
  /** `OPEN_FORUM_THREAD_DELETE`. */
  OPEN_FORUM_THREAD_DELETE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumThreadDelete',
    payload: payload<OpenForumEvent>(),
  },
  /** `OPEN_FORUM_POST_CREATE`. */
  OPEN_FORUM_POST_CREATE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumPostCreate',
    payload: payload<OpenForumEvent>(),
  },
  /** `OPEN_FORUM_POST_DELETE`. */
  OPEN_FORUM_POST_DELETE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumPostDelete',
    payload: payload<OpenForumEvent>(),
  },
  /** `OPEN_FORUM_REPLY_CREATE`. */
  OPEN_FORUM_REPLY_CREATE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumReplyCreate',
    payload: payload<OpenForumEvent>(),
  },
  /** `OPEN_FORUM_REPLY_DELETE`. */
  OPEN_FORUM_REPLY_DELETE: {
    intent: 'OPEN_FORUMS_EVENT',
    method: 'openForumReplyDelete',
    payload: payload<OpenForumEvent>(),
  },

  /** `AUDIO_START`: audio playback started. */
  AUDIO_START: { intent: 'AUDIO_ACTION', method: 'audioStart', payload: payload<AudioAction>() },
  /** `AUDIO_FINISH`: audio playback finished. */
  AUDIO_FINISH: { intent: 'AUDIO_ACTION', method: 'audioFinish', payload: payload<AudioAction>() },
  /** `AUDIO_ON_MIC`: the bot went on the microphone. */
  AUDIO_ON_MIC: { intent: 'AUDIO_ACTION', method: 'audioOnMic', payload: payload<AudioAction>() },
  /** `AUDIO_OFF_MIC`: the bot left the microphone. */
  AUDIO_OFF_MIC: { intent: 'AUDIO_ACTION', method: 'audioOffMic', payload: payload<AudioAction>() },
  /** `AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER`. */
  AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER: {
    intent: 'AUDIO_OR_LIVE_CHANNEL_MEMBER',
    method: 'audioOrLiveChannelMemberEnter',
    payload: payload<AudioLiveChannelMember>(),
  },
  /** `AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT`. */
  AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT: {
    intent: 'AUDIO_OR_LIVE_CHANNEL_MEMBER',
    method: 'audioOrLiveChannelMemberExit',
    payload: payload<AudioLiveChannelMember>(),
  },
} as const satisfies Readonly<Record<string, DispatchEventDeclaration>>;

/**
 * Events an intent subscribes to that the catalogue does not type (seen in the field, not in the
 * documentation). They reach raw handlers only, but a session still needs their intent.
 */
export const UNTYPED_EVENT_INTENTS = {
  ENTER_AIO: 'ENTER_AIO',
} as const satisfies Readonly<Record<string, IntentName>>;

/** The catalogue's type. */
export type DispatchEvents = typeof DISPATCH_EVENTS;

/** Name of a dispatch event the framework types. */
export type DispatchEventName = keyof DispatchEvents;

/** The `d` type of each dispatch event, by event name; derived from {@link DISPATCH_EVENTS}. */
export type DispatchEventMap = { [Name in DispatchEventName]: PayloadOf<DispatchEvents[Name]['payload']> };

/** The `EventHandler` method an event calls: `DispatchEventMethod<'AT_MESSAGE_CREATE'>` is `'messageCreate'`. */
export type DispatchEventMethod<Name extends DispatchEventName = DispatchEventName> =
  DispatchEvents[Name]['method'];

/** The intent gating an event, or `null` for READY and RESUMED. */
export type DispatchEventIntent<Name extends DispatchEventName = DispatchEventName> =
  DispatchEvents[Name]['intent'];
