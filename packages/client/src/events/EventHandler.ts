import type { GatewayPayload, RateLimitedEvent } from '@bot/http';
import type { ClientError } from '../errors/ClientError.js';
import type { Context } from '../context/Context.js';
import type {
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
} from '../models/index.js';

/** What a handler method may return: nothing, or a promise the client awaits (per the dispatch policy). */
export type HandlerResult = void | Promise<void>;

/** A shard changed state (`shardStatus`). */
export interface ShardStatusEvent {
  /** The shard. */
  shardId: number;
  /** Its new state (`connecting`, `ready`, `reconnecting`, `fatal`, …). */
  state: string;
  /** Its previous state. */
  previous: string;
}

/** Every started shard is READY (`shardsReady`). */
export interface ShardsReadyEvent {
  /** Ids of the shards that are ready. */
  shardIds: readonly number[];
  /** Total shard count of the bot. */
  total: number;
}

/**
 * Your bot's reactions to events. Implement the methods you need; each is optional. Register any
 * number of handlers with `ClientBuilder.eventHandler`; for each event they are called in
 * registration order. A method that throws or rejects is reported to `error()` (of every handler)
 * and never stops other handlers, other events or the connection.
 *
 * ```ts
 * class Bot implements EventHandler {
 *   async messageCreate(ctx: Context, msg: Message) {
 *     if (msg.cleanContent === '!ping') await msg.reply('Pong!');
 *   }
 * }
 * ```
 */
export interface EventHandler {
  /** `READY`: a shard's session is established. */
  ready?(ctx: Context, ready: Ready): HandlerResult;
  /** `RESUMED`: a shard resumed its session; missed events were replayed before this. */
  resumed?(ctx: Context): HandlerResult;

  /** `AT_MESSAGE_CREATE`: a guild message mentions the bot (public-domain bots). */
  messageCreate?(ctx: Context, message: Message): HandlerResult;
  /** `MESSAGE_CREATE`: any guild message (private-domain bots, intent GUILD_MESSAGES). */
  guildMessageCreate?(ctx: Context, message: Message): HandlerResult;
  /** `MESSAGE_DELETE`: a guild message was recalled (private-domain bots). */
  messageDelete?(ctx: Context, deletion: MessageDelete): HandlerResult;
  /** `PUBLIC_MESSAGE_DELETE`: a message that mentioned the bot was recalled. */
  publicMessageDelete?(ctx: Context, deletion: MessageDelete): HandlerResult;
  /** `DIRECT_MESSAGE_CREATE`: a guild direct message. */
  directMessageCreate?(ctx: Context, message: DirectMessage): HandlerResult;
  /** `DIRECT_MESSAGE_DELETE`: a guild direct message was recalled. */
  directMessageDelete?(ctx: Context, deletion: MessageDelete): HandlerResult;
  /** `GROUP_AT_MESSAGE_CREATE`: a group message mentions the bot. */
  groupMessageCreate?(ctx: Context, message: GroupMessage): HandlerResult;
  /** `C2C_MESSAGE_CREATE`: a user messaged the bot one-to-one. */
  c2cMessageCreate?(ctx: Context, message: C2CMessage): HandlerResult;

  /** `GUILD_CREATE`: the bot joined a guild. */
  guildCreate?(ctx: Context, guild: Guild): HandlerResult;
  /** `GUILD_UPDATE`: a guild changed. */
  guildUpdate?(ctx: Context, guild: Guild): HandlerResult;
  /** `GUILD_DELETE`: the bot left or was removed from a guild. */
  guildDelete?(ctx: Context, guild: Guild): HandlerResult;
  /** `CHANNEL_CREATE`. */
  channelCreate?(ctx: Context, channel: Channel): HandlerResult;
  /** `CHANNEL_UPDATE`. */
  channelUpdate?(ctx: Context, channel: Channel): HandlerResult;
  /** `CHANNEL_DELETE`. */
  channelDelete?(ctx: Context, channel: Channel): HandlerResult;
  /** `GUILD_MEMBER_ADD`. */
  guildMemberAdd?(ctx: Context, member: Member): HandlerResult;
  /** `GUILD_MEMBER_UPDATE`. */
  guildMemberUpdate?(ctx: Context, member: Member): HandlerResult;
  /** `GUILD_MEMBER_REMOVE`. */
  guildMemberRemove?(ctx: Context, member: Member): HandlerResult;

  /** `MESSAGE_REACTION_ADD`. */
  messageReactionAdd?(ctx: Context, reaction: MessageReaction): HandlerResult;
  /** `MESSAGE_REACTION_REMOVE`. */
  messageReactionRemove?(ctx: Context, reaction: MessageReaction): HandlerResult;
  /** `INTERACTION_CREATE`: a button was pressed; call `interaction.ack()`. */
  interactionCreate?(ctx: Context, interaction: Interaction): HandlerResult;
  /** `MESSAGE_AUDIT_PASS`: a message held for audit was published. */
  messageAuditPass?(ctx: Context, audit: MessageAudit): HandlerResult;
  /** `MESSAGE_AUDIT_REJECT`: a message held for audit was rejected. */
  messageAuditReject?(ctx: Context, audit: MessageAudit): HandlerResult;

  /** `GROUP_ADD_ROBOT`: the bot was added to a group. */
  groupAddRobot?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  /** `GROUP_DEL_ROBOT`: the bot was removed from a group. */
  groupDelRobot?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  /** `GROUP_MSG_REJECT`: a group turned off the bot's proactive messages. */
  groupMsgReject?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  /** `GROUP_MSG_RECEIVE`: a group turned the bot's proactive messages back on. */
  groupMsgReceive?(ctx: Context, event: GroupRobotEvent): HandlerResult;
  /** `FRIEND_ADD`: a user added the bot. */
  friendAdd?(ctx: Context, event: FriendEvent): HandlerResult;
  /** `FRIEND_DEL`: a user removed the bot. */
  friendDel?(ctx: Context, event: FriendEvent): HandlerResult;
  /** `C2C_MSG_REJECT`: a user turned off the bot's proactive messages. */
  c2cMsgReject?(ctx: Context, event: FriendEvent): HandlerResult;
  /** `C2C_MSG_RECEIVE`: a user turned the bot's proactive messages back on. */
  c2cMsgReceive?(ctx: Context, event: FriendEvent): HandlerResult;

  /** `FORUM_THREAD_CREATE` (private-domain bots). */
  forumThreadCreate?(ctx: Context, thread: ForumThread): HandlerResult;
  /** `FORUM_THREAD_UPDATE`. */
  forumThreadUpdate?(ctx: Context, thread: ForumThread): HandlerResult;
  /** `FORUM_THREAD_DELETE`. */
  forumThreadDelete?(ctx: Context, thread: ForumThread): HandlerResult;
  /** `FORUM_POST_CREATE`. */
  forumPostCreate?(ctx: Context, post: ForumPost): HandlerResult;
  /** `FORUM_POST_DELETE`. */
  forumPostDelete?(ctx: Context, post: ForumPost): HandlerResult;
  /** `FORUM_REPLY_CREATE`. */
  forumReplyCreate?(ctx: Context, reply: ForumReply): HandlerResult;
  /** `FORUM_REPLY_DELETE`. */
  forumReplyDelete?(ctx: Context, reply: ForumReply): HandlerResult;
  /** `FORUM_PUBLISH_AUDIT_RESULT`. */
  forumPublishAuditResult?(ctx: Context, result: ForumPublishAudit): HandlerResult;
  /** `OPEN_FORUM_THREAD_CREATE` (public-domain bots). */
  openForumThreadCreate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  /** `OPEN_FORUM_THREAD_UPDATE`. */
  openForumThreadUpdate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  /** `OPEN_FORUM_THREAD_DELETE`. */
  openForumThreadDelete?(ctx: Context, event: OpenForumEvent): HandlerResult;
  /** `OPEN_FORUM_POST_CREATE`. */
  openForumPostCreate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  /** `OPEN_FORUM_POST_DELETE`. */
  openForumPostDelete?(ctx: Context, event: OpenForumEvent): HandlerResult;
  /** `OPEN_FORUM_REPLY_CREATE`. */
  openForumReplyCreate?(ctx: Context, event: OpenForumEvent): HandlerResult;
  /** `OPEN_FORUM_REPLY_DELETE`. */
  openForumReplyDelete?(ctx: Context, event: OpenForumEvent): HandlerResult;

  /** `AUDIO_START`: audio playback started. */
  audioStart?(ctx: Context, event: AudioEvent): HandlerResult;
  /** `AUDIO_FINISH`: audio playback finished. */
  audioFinish?(ctx: Context, event: AudioEvent): HandlerResult;
  /** `AUDIO_ON_MIC`: the bot went on the microphone. */
  audioOnMic?(ctx: Context, event: AudioEvent): HandlerResult;
  /** `AUDIO_OFF_MIC`: the bot left the microphone. */
  audioOffMic?(ctx: Context, event: AudioEvent): HandlerResult;
  /** `AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER`. */
  audioOrLiveChannelMemberEnter?(ctx: Context, event: AudioChannelMember): HandlerResult;
  /** `AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT`. */
  audioOrLiveChannelMemberExit?(ctx: Context, event: AudioChannelMember): HandlerResult;

  /** Something failed: a handler, a request, the gateway. `switch (error.kind)` narrows it to its class. */
  error?(error: ClientError, ctx?: Context): HandlerResult;
  /** A REST request was rate limited and is waiting. */
  ratelimit?(event: RateLimitedEvent): HandlerResult;
  /** A shard changed state. */
  shardStatus?(event: ShardStatusEvent): HandlerResult;
  /** Every started shard is READY; fires once per start call. */
  shardsReady?(event: ShardsReadyEvent): HandlerResult;
}

/** Names of the {@link EventHandler} methods that receive dispatch events. */
export type EventMethod = Exclude<keyof EventHandler, 'error' | 'ratelimit' | 'shardStatus' | 'shardsReady'>;

/**
 * Sees every dispatch, known or not, parsed once, before model conversion. Useful for metrics,
 * logging, or events this framework does not model yet.
 */
export interface RawEventHandler {
  /** Called for every dispatch payload (`{ id, op, d, s, t }`). */
  raw(ctx: Context, payload: GatewayPayload): HandlerResult;
}
