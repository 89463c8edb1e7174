export { User } from './User.js';
export { Message, type GuildReplyInput } from './Message.js';
export { DirectMessage } from './DirectMessage.js';
export { OpenChatMessage, type OpenReplyInput, type ReplyMediaOptions } from './OpenChatMessage.js';
export { GroupMessage } from './GroupMessage.js';
export { C2CMessage } from './C2CMessage.js';
export { Ready, MessageDelete, OpenChatEventModel, GroupRobotEvent, FriendEvent } from './events.js';
export { Interaction, type InteractionPayload, type InteractionPayloadData } from './Interaction.js';
export {
  GuildEventModel,
  ForumEventModel,
  Member,
  MessageReaction,
  ForumThread,
  ForumPost,
  ForumReply,
  type EmojiPayload,
  type ForumEventIds,
  type ForumPostPayload,
  type ForumReplyPayload,
  type ForumThreadPayload,
  type MemberPayload,
  type MemberUser,
  type MessageReactionPayload,
  type ReactionTargetPayload,
} from './guildEvents.js';
export { ANSWERABLE_EVENTS, type AnsweredEvent, type EventReplyScene } from './eventReplies.js';
export {
  Guild,
  Channel,
  MessageAudit,
  ForumPublishAudit,
  OpenForumEvent,
  AudioEvent,
  AudioChannelMember,
  type CheckedWire,
  type ChecksFor,
  type OpenInteger,
  type OptionalCheck,
  type OptionalChecksFor,
  type RequiredCheck,
  type RequiredFields,
  type RequiredKeys,
  type SnapshotModel,
  type WireFields,
} from './snapshots.js';
export type { PresentCheck } from './wireShape.js';
export { DEFAULT_REPLY_SEQUENCER_CAPACITY, ReplySequencer } from './ReplySequencer.js';
export * from './reply/index.js';
export type { ModelBinding } from './ModelBinding.js';
export {
  MODEL_BUILDERS,
  type ByEventName,
  type EventModels,
  type ModelBuilder,
  type ModelBuilders,
  type ModelOf,
} from './eventModels.js';
export { camelize, type Camelize, type CamelCase } from './camelize.js';
export { unescapeContent, stripMentions } from './content.js';
