/*
 * Event payloads that carry data but no behaviour. Each is a class (so `instanceof` works) whose
 * fields are the wire fields camel-cased, typed by `Camelize` of the wire type.
 */
import type {
  AudioAction,
  AudioLiveChannelMember,
  ChannelEvent,
  ForumAuditResult,
  GuildEvent,
  MessageAudited,
  OpenForumEvent as WireOpenForumEvent,
} from '@bot/http';
import { camelizeInto, prototypeNames, type Camelize } from './camelize.js';
import { wirePayload } from './wireShape.js';

/** A model class whose instances hold a camel-cased copy of a wire payload. */
export type SnapshotModel<Wire> = new (data: Wire) => Readonly<Camelize<Wire>>;

/**
 * Makes a {@link SnapshotModel} class named `name`.
 *
 * @param name - class name, shown by `console.log` and in stack traces
 */
function snapshotModel<Wire>(name: string): SnapshotModel<Wire> {
  const Model = class {
    public constructor(data: Wire) {
      // A wire field named like a method of the chain (`to_string`) would replace it.
      // `d: null` is refused as the payload's defect, naming `d`, not a TypeError of the copy.
      camelizeInto(this, wirePayload(data) as object, prototypeNames(new.target.prototype as object));
    }
  };
  Object.defineProperty(Model, 'name', { value: name });
  return Model as unknown as SnapshotModel<Wire>;
}

/** A guild (`GUILD_CREATE`, `GUILD_UPDATE`, `GUILD_DELETE`). */
export const Guild = snapshotModel<GuildEvent>('Guild');
/** Instance type of {@link Guild}. */
export type Guild = InstanceType<typeof Guild>;

/** A channel (`CHANNEL_CREATE`, `CHANNEL_UPDATE`, `CHANNEL_DELETE`). */
export const Channel = snapshotModel<ChannelEvent>('Channel');
/** Instance type of {@link Channel}. */
export type Channel = InstanceType<typeof Channel>;

/** The outcome of a message audit (`MESSAGE_AUDIT_PASS`, `MESSAGE_AUDIT_REJECT`). */
export const MessageAudit = snapshotModel<MessageAudited>('MessageAudit');
/** Instance type of {@link MessageAudit}. */
export type MessageAudit = InstanceType<typeof MessageAudit>;

/** The audit result of a forum publication (`FORUM_PUBLISH_AUDIT_RESULT`). */
export const ForumPublishAudit = snapshotModel<ForumAuditResult>('ForumPublishAudit');
/** Instance type of {@link ForumPublishAudit}. */
export type ForumPublishAudit = InstanceType<typeof ForumPublishAudit>;

/** A public-domain forum event (`OPEN_FORUM_*`): where it happened and who did it. */
export const OpenForumEvent = snapshotModel<WireOpenForumEvent>('OpenForumEvent');
/** Instance type of {@link OpenForumEvent}. */
export type OpenForumEvent = InstanceType<typeof OpenForumEvent>;

/** An audio channel event (`AUDIO_START`, `AUDIO_FINISH`, `AUDIO_ON_MIC`, `AUDIO_OFF_MIC`). */
export const AudioEvent = snapshotModel<AudioAction>('AudioEvent');
/** Instance type of {@link AudioEvent}. */
export type AudioEvent = InstanceType<typeof AudioEvent>;

/** A member entering or leaving an audio or live channel (`AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER/EXIT`). */
export const AudioChannelMember = snapshotModel<AudioLiveChannelMember>('AudioChannelMember');
/** Instance type of {@link AudioChannelMember}. */
export type AudioChannelMember = InstanceType<typeof AudioChannelMember>;
