/*
 * Event payloads that carry data but no behaviour. Each is a class (so `instanceof` works) whose
 * fields are the wire fields camel-cased, typed by `Camelize` of the wire type as checked.
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
import { wireId, wireIdOrNumber, wireInteger, wirePayload, wireString } from './wireShape.js';

/*
 * Each model declares, beside its wire type, how every field that type declares required is
 * checked. The declaration's keys must be exactly the wire type's required keys (a field added to
 * or made optional in the wire type fails to compile here), each check must fit its field's type,
 * and the model's type follows from it, so the type and what the constructor lets through cannot
 * drift. Optional fields are copied as received.
 */

/**
 * How a required field is checked: `id` a non-empty string; `idOrNumber` that or a number (forum
 * events, whose ids the documentation shows as numbers, docs/protocol.md §16); `text` any string;
 * `integer` a safe integer.
 */
export type RequiredCheck = 'id' | 'idOrNumber' | 'text' | 'integer';

/** The checks that fit a field of type `T`; none for an object, which needs its own checks. */
export type ChecksFor<T> = T extends string
  ? 'id' | 'idOrNumber' | 'text'
  : T extends number
    ? 'integer'
    : never;

/** The keys `Wire` declares required (not optional). */
export type RequiredKeys<Wire> = {
  [K in keyof Wire]-?: object extends Pick<Wire, K> ? never : K;
}[keyof Wire];

/** A check for each required field of `Wire`, and for nothing else. */
export type RequiredFields<Wire> = { readonly [K in RequiredKeys<Wire>]: ChecksFor<Wire[K]> };

/**
 * `Wire` as its checks let it through: a field checked as `idOrNumber` may be a number, and one
 * checked as `integer` any integer, not only the kinds its wire type lists (the platform adds
 * kinds, and a client refusing them would drop the events of every guild that uses one). Typed
 * `number`, not `ChannelType | (number & {})`: `Camelize` would copy the methods of `number & {}`
 * as fields. Compare with the constants: `channel.type === ChannelType.Forum`.
 */
export type CheckedWire<Wire, Fields> = {
  [K in keyof Wire]: K extends keyof Fields
    ? Fields[K] extends 'idOrNumber'
      ? Wire[K] | number
      : Fields[K] extends 'integer'
        ? number
        : Wire[K]
    : Wire[K];
};

/** A model class whose instances hold a camel-cased copy of a checked wire payload. */
export type SnapshotModel<Wire, Fields = RequiredFields<Wire>> = new (
  data: Wire,
) => Readonly<Camelize<CheckedWire<Wire, Fields>>>;

/** One required field as the constructor checks it, its path worked out once per model. */
export interface RequiredField {
  readonly key: string;
  readonly path: string;
  readonly check: RequiredCheck;
}

/**
 * Makes a {@link SnapshotModel} class named `name`.
 *
 * @param name - class name, shown by `console.log` and in stack traces
 * @param fields - how each required field of the wire type is checked
 */
function snapshotModel<Wire, Fields extends RequiredFields<Wire>>(
  name: string,
  fields: Fields,
): SnapshotModel<Wire, Fields> {
  const required = requiredFieldList(fields as Readonly<Record<string, RequiredCheck>>);
  const Model = class {
    public constructor(data: Wire) {
      // `d: null` is refused as the payload's defect, naming `d`, not a TypeError of the copy.
      const payload = wirePayload(data) as Record<string, unknown>;
      checkRequired(payload, required);
      // A wire field named like a method of the chain (`to_string`) would replace it.
      camelizeInto(this, payload, prototypeNames(new.target.prototype as object));
    }
  };
  Object.defineProperty(Model, 'name', { value: name });
  return Model as unknown as SnapshotModel<Wire, Fields>;
}

/**
 * A model's declaration of required fields as the list {@link checkRequired} walks, worked out
 * once per model.
 *
 * @param fields - how each required field is checked, by wire key
 */
export function requiredFieldList(fields: Readonly<Record<string, RequiredCheck>>): readonly RequiredField[] {
  return Object.entries(fields).map(([key, check]) => ({ key, path: `d.${key}`, check }));
}

/**
 * Checks each required field of a payload: a plain loop over the model's list, no closure per
 * event (a guild may send bursts of channel updates, and every button press is one event).
 *
 * @param payload - the dispatch's `d`, known to be an object
 * @param required - the model's list, from {@link requiredFieldList}
 * @throws `ValidationError` naming the first field refused
 */
export function checkRequired(payload: Record<string, unknown>, required: readonly RequiredField[]): void {
  for (let index = 0; index < required.length; index++) {
    const field = required[index]!;
    const value = payload[field.key];
    switch (field.check) {
      case 'id':
        wireId(value, field.path);
        break;
      case 'idOrNumber':
        wireIdOrNumber(value, field.path);
        break;
      case 'text':
        wireString(value, field.path);
        break;
      case 'integer':
        wireInteger(value, field.path);
        break;
    }
  }
}

/** The required fields of a {@link Guild}. */
const GUILD_FIELDS = { id: 'id', name: 'text' } as const satisfies RequiredFields<GuildEvent>;

/** The required fields of a {@link Channel}. */
const CHANNEL_FIELDS = {
  id: 'id',
  guild_id: 'id',
  name: 'text',
  type: 'integer',
} as const satisfies RequiredFields<ChannelEvent>;

/** The required fields of a {@link MessageAudit}. */
const MESSAGE_AUDIT_FIELDS = {
  audit_id: 'id',
  guild_id: 'id',
  channel_id: 'id',
  audit_time: 'text',
} as const satisfies RequiredFields<MessageAudited>;

/** The required fields of a {@link ForumPublishAudit}; its ids may be numbers, as forum events' are. */
const FORUM_PUBLISH_AUDIT_FIELDS = {
  guild_id: 'idOrNumber',
  channel_id: 'idOrNumber',
  author_id: 'idOrNumber',
  type: 'integer',
} as const satisfies RequiredFields<ForumAuditResult>;

/** The required fields of an {@link OpenForumEvent}; its ids may be numbers, as forum events' are. */
const OPEN_FORUM_FIELDS = {
  guild_id: 'idOrNumber',
  channel_id: 'idOrNumber',
  author_id: 'idOrNumber',
} as const satisfies RequiredFields<WireOpenForumEvent>;

/** The required fields of an {@link AudioEvent}. */
const AUDIO_EVENT_FIELDS = {
  guild_id: 'id',
  channel_id: 'id',
} as const satisfies RequiredFields<AudioAction>;

/** The required fields of an {@link AudioChannelMember}. */
const AUDIO_CHANNEL_MEMBER_FIELDS = {
  guild_id: 'id',
  channel_id: 'id',
  channel_type: 'integer',
  user_id: 'id',
} as const satisfies RequiredFields<AudioLiveChannelMember>;

/** A guild (`GUILD_CREATE`, `GUILD_UPDATE`, `GUILD_DELETE`). */
export const Guild = snapshotModel<GuildEvent, typeof GUILD_FIELDS>('Guild', GUILD_FIELDS);
/** Instance type of {@link Guild}. */
export type Guild = InstanceType<typeof Guild>;

/** A channel (`CHANNEL_CREATE`, `CHANNEL_UPDATE`, `CHANNEL_DELETE`). */
export const Channel = snapshotModel<ChannelEvent, typeof CHANNEL_FIELDS>('Channel', CHANNEL_FIELDS);
/** Instance type of {@link Channel}. */
export type Channel = InstanceType<typeof Channel>;

/** The outcome of a message audit (`MESSAGE_AUDIT_PASS`, `MESSAGE_AUDIT_REJECT`). */
export const MessageAudit = snapshotModel<MessageAudited, typeof MESSAGE_AUDIT_FIELDS>(
  'MessageAudit',
  MESSAGE_AUDIT_FIELDS,
);
/** Instance type of {@link MessageAudit}. */
export type MessageAudit = InstanceType<typeof MessageAudit>;

/** The audit result of a forum publication (`FORUM_PUBLISH_AUDIT_RESULT`). */
export const ForumPublishAudit = snapshotModel<ForumAuditResult, typeof FORUM_PUBLISH_AUDIT_FIELDS>(
  'ForumPublishAudit',
  FORUM_PUBLISH_AUDIT_FIELDS,
);
/** Instance type of {@link ForumPublishAudit}. */
export type ForumPublishAudit = InstanceType<typeof ForumPublishAudit>;

/** A public-domain forum event (`OPEN_FORUM_*`): where it happened and who did it. */
export const OpenForumEvent = snapshotModel<WireOpenForumEvent, typeof OPEN_FORUM_FIELDS>(
  'OpenForumEvent',
  OPEN_FORUM_FIELDS,
);
/** Instance type of {@link OpenForumEvent}. */
export type OpenForumEvent = InstanceType<typeof OpenForumEvent>;

/** An audio channel event (`AUDIO_START`, `AUDIO_FINISH`, `AUDIO_ON_MIC`, `AUDIO_OFF_MIC`). */
export const AudioEvent = snapshotModel<AudioAction, typeof AUDIO_EVENT_FIELDS>(
  'AudioEvent',
  AUDIO_EVENT_FIELDS,
);
/** Instance type of {@link AudioEvent}. */
export type AudioEvent = InstanceType<typeof AudioEvent>;

/** A member entering or leaving an audio or live channel (`AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER/EXIT`). */
export const AudioChannelMember = snapshotModel<AudioLiveChannelMember, typeof AUDIO_CHANNEL_MEMBER_FIELDS>(
  'AudioChannelMember',
  AUDIO_CHANNEL_MEMBER_FIELDS,
);
/** Instance type of {@link AudioChannelMember}. */
export type AudioChannelMember = InstanceType<typeof AudioChannelMember>;
