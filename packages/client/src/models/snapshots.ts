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
import {
  camelizeInto,
  camelKey,
  prototypeNames,
  type Camelize,
  type FieldRule,
  type FieldRules,
  type LeftOff,
} from './camelize.js';
import {
  fitsPresent,
  warnPresentLeftOff,
  wireBoolean,
  wireId,
  wireIdOrNumber,
  wireInteger,
  wirePayload,
  wireString,
  type PresentCheck,
} from './wireShape.js';

/*
 * Each model declares, beside its wire type, how every field of that type is checked: one list,
 * whose keys must be exactly the wire type's keys (a field added to the wire type, or made
 * optional or required there, fails to compile here), each check fitting its field's type. A
 * required field missing or of another type refuses the event; an optional one (its check ends in
 * `?`) of another type is left off the model, as `null` is, and told as a process warning
 * (`warnLeftOff`): the rest of the event still reaches its handlers. A field its wire type declares
 * `unknown` (checked as `received?`) is copied as received. The model's type follows from the
 * list, so the type and what the constructor lets through cannot drift.
 */

/**
 * How a required field is checked: `id` a non-empty string; `idOrNumber` that or a number (forum
 * events, whose ids the documentation shows as numbers, docs/protocol.md §16); `text` any string;
 * `integer` a safe integer; `boolean` a boolean.
 */
export type RequiredCheck = 'id' | 'idOrNumber' | 'text' | 'integer' | 'boolean';

/**
 * How an optional field is checked when present, by type only (see {@link PresentCheck}): an
 * optional id as `text?` (nothing is addressed by it), or `idOrNumber?` where ids come as numbers;
 * `received?` for a field typed `unknown`, copied as received (one the documentation says is in no
 * standard form yet).
 */
export type OptionalCheck = `${PresentCheck}?` | 'received?';

/** The checks that fit a required field of type `T`; none for an object, which needs its own checks. */
export type ChecksFor<T> = T extends string
  ? 'id' | 'idOrNumber' | 'text'
  : T extends number
    ? 'integer'
    : T extends boolean
      ? 'boolean'
      : never;

/**
 * The checks that fit an optional field of type `T` (`undefined` aside): `received?` for `unknown`,
 * none for an object.
 */
export type OptionalChecksFor<T> = unknown extends T
  ? 'received?'
  : T extends string
    ? 'text?' | 'idOrNumber?'
    : T extends number
      ? 'integer?'
      : T extends boolean
        ? 'boolean?'
        : never;

/** The keys `Wire` declares required (not optional). */
export type RequiredKeys<Wire> = {
  [K in keyof Wire]-?: object extends Pick<Wire, K> ? never : K;
}[keyof Wire];

/** A check for each required field of `Wire`, and for nothing else. */
export type RequiredFields<Wire> = { readonly [K in RequiredKeys<Wire>]: ChecksFor<Wire[K]> };

/**
 * A check for every field of `Wire`: a {@link RequiredCheck} for each required one, an
 * {@link OptionalCheck} for each optional one, and nothing else.
 */
export type WireFields<Wire> = {
  readonly [K in keyof Wire]-?: K extends RequiredKeys<Wire>
    ? ChecksFor<Wire[K]>
    : OptionalChecksFor<Wire[K]>;
};

/** A kind that lets any integer through, the known ones still named: `ChannelType | (number & {})`. */
export type OpenInteger<T> = number extends T ? T : T | (number & {});

/**
 * `Wire` as its checks let it through: a field checked as `idOrNumber` may be a number, and one
 * checked as `integer` any integer, not only the kinds its wire type lists (the platform adds
 * kinds, and a client refusing them would drop the events of every guild that uses one). Such a
 * kind is an open enum, `ChannelType | (number & {})`: any number, the known ones offered by
 * name. Compare with the constants: `channel.type === ChannelType.Forum`.
 */
export type CheckedWire<Wire, Fields> = {
  [K in keyof Wire]: K extends keyof Fields
    ? Fields[K] extends 'idOrNumber' | 'idOrNumber?'
      ? Wire[K] | number
      : Fields[K] extends 'integer' | 'integer?'
        ? OpenInteger<Wire[K]>
        : Wire[K]
    : Wire[K];
};

/** A model class whose instances hold a camel-cased copy of a checked wire payload. */
export type SnapshotModel<Wire, Fields = WireFields<Wire>> = new (
  data: Wire,
) => Readonly<Camelize<CheckedWire<Wire, Fields>>>;

/** One required field as the constructor checks it, its path worked out once per model. */
export interface RequiredField {
  readonly key: string;
  readonly path: string;
  readonly check: RequiredCheck;
}

/** One optional field as the constructor checks it when present. */
export interface OptionalField {
  readonly key: string;
  readonly check: PresentCheck;
}

/** A model's list of checks split once into what the constructor walks. */
export interface FieldLists {
  /** The required fields, checked before the copy. */
  readonly required: readonly RequiredField[];
  /** The optional fields, by wire key. */
  readonly optional: readonly OptionalField[];
  /** The optional fields by camel-cased name, for {@link camelizeInto}'s rules. */
  readonly present: ReadonlyMap<string, PresentCheck>;
}

/**
 * An optional field's check without its `?`, each a literal the engine compares by identity;
 * `undefined` for a field copied as received.
 */
const PRESENT_CHECK: Readonly<Record<OptionalCheck, PresentCheck | undefined>> = {
  'text?': 'text',
  'idOrNumber?': 'idOrNumber',
  'integer?': 'integer',
  'boolean?': 'boolean',
  'received?': undefined,
};

/**
 * Makes a {@link SnapshotModel} class named `name`.
 *
 * @param name - class name, shown by `console.log` and in stack traces
 * @param events - the events it models, named in the warning of a field left off (`GUILD_*`)
 * @param fields - how each field of the wire type is checked
 */
function snapshotModel<Wire, Fields extends WireFields<Wire>>(
  name: string,
  events: string,
  fields: Fields,
): SnapshotModel<Wire, Fields> {
  const { required, present } = fieldLists(fields as Readonly<Record<string, RequiredCheck | OptionalCheck>>);
  const rulesByPrototype = new WeakMap<object, FieldRules>();
  // Made once per model: a copy passes it along without allocating per event.
  const label = `${name} (${events})`;
  const leftOff: LeftOff = (key, check, value) => warnPresentLeftOff(label, `d.${key}`, check, value);
  const Model = class {
    public constructor(data: Wire) {
      // `d: null` is refused as the payload's defect, naming `d`, not a TypeError of the copy.
      const payload = wirePayload(data) as Record<string, unknown>;
      checkRequired(payload, required);
      const prototype = new.target.prototype as object;
      let rules = rulesByPrototype.get(prototype);
      if (rules === undefined) {
        rules = fieldRules(prototypeNames(prototype), present);
        rulesByPrototype.set(prototype, rules);
      }
      camelizeInto(this, payload, undefined, rules, leftOff);
    }
  };
  Object.defineProperty(Model, 'name', { value: name });
  return Model as unknown as SnapshotModel<Wire, Fields>;
}

/**
 * A model's rules for {@link camelizeInto}, worked out once per model: its optional fields checked
 * when present, and the names its prototype chain defines left off, as a wire field named like a
 * method (`to_string`) would replace it.
 *
 * @param skipped - the names of the model's prototype chain ({@link prototypeNames})
 * @param present - its optional fields by camel-cased name
 */
function fieldRules(skipped: ReadonlySet<string>, present: ReadonlyMap<string, PresentCheck>): FieldRules {
  const rules = new Map<string, FieldRule>(present);
  for (const name of skipped) rules.set(name, 'skip');
  return rules;
}

/**
 * A model's declaration of required fields as the list {@link checkRequired} walks, worked out
 * once per model.
 *
 * @param fields - how each required field is checked, by wire key
 * @param prefix - the path of the object holding them (`d.user`), `d` by default
 */
export function requiredFieldList(
  fields: Readonly<Record<string, RequiredCheck>>,
  prefix = 'd',
): readonly RequiredField[] {
  return Object.entries(fields).map(([key, check]) => ({ key, path: `${prefix}.${key}`, check }));
}

/**
 * A model's list of checks ({@link WireFields}) split into its required and optional fields,
 * worked out once per model.
 *
 * @param fields - how each field is checked, by wire key
 * @param prefix - the path of the object holding them (`d.user`), `d` by default
 */
export function fieldLists(
  fields: Readonly<Record<string, RequiredCheck | OptionalCheck>>,
  prefix = 'd',
): FieldLists {
  const required: Record<string, RequiredCheck> = {};
  const optional: OptionalField[] = [];
  const present = new Map<string, PresentCheck>();
  for (const [key, check] of Object.entries(fields)) {
    if (check.endsWith('?')) {
      const base = PRESENT_CHECK[check as OptionalCheck];
      // A field copied as received needs no rule: the copy takes it as any other field.
      if (base === undefined) continue;
      optional.push({ key, check: base });
      present.set(camelKey(key), base);
    } else {
      required[key] = check as RequiredCheck;
    }
  }
  return { required: requiredFieldList(required, prefix), optional, present };
}

/**
 * Checks each optional field of an object that is present (neither `undefined` nor `null`), by
 * key, for a model that copies its fields itself rather than through {@link camelizeInto}: one of
 * another type is told as a process warning (`warnLeftOff`), and the model leaves it off.
 *
 * @param payload - the object holding the fields, known to be an object
 * @param optional - the model's list, from {@link fieldLists}
 * @param model - the model and its events, as the warning names them (`Ready (READY)`)
 * @param prefix - the object's path (`d.user`), `d` by default
 */
export function checkOptional(
  payload: Record<string, unknown>,
  optional: readonly OptionalField[],
  model: string,
  prefix = 'd',
): void {
  for (let index = 0; index < optional.length; index++) {
    const field = optional[index]!;
    const value = payload[field.key];
    if (value !== undefined && value !== null && !fitsPresent(value, field.check))
      warnPresentLeftOff(model, `${prefix}.${field.key}`, field.check, value);
  }
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
      case 'boolean':
        wireBoolean(value, field.path);
        break;
    }
  }
}

/**
 * The fields of a {@link Guild}. `icon` and `joined_at` are copied as received: the guild-event
 * documentation warns they are in no standard form yet.
 */
const GUILD_FIELDS = {
  id: 'id',
  name: 'text',
  icon: 'received?',
  owner_id: 'text?',
  owner: 'boolean?',
  member_count: 'integer?',
  max_members: 'integer?',
  description: 'text?',
  joined_at: 'received?',
  op_user_id: 'text?',
} as const satisfies WireFields<GuildEvent>;

/** The fields of a {@link Channel}; its kinds let any integer through. */
const CHANNEL_FIELDS = {
  id: 'id',
  guild_id: 'id',
  name: 'text',
  type: 'integer',
  sub_type: 'integer?',
  position: 'integer?',
  parent_id: 'text?',
  owner_id: 'text?',
  private_type: 'integer?',
  speak_permission: 'integer?',
  application_id: 'text?',
  permissions: 'text?',
  op_user_id: 'text?',
} as const satisfies WireFields<ChannelEvent>;

/** The fields of a {@link MessageAudit}. */
const MESSAGE_AUDIT_FIELDS = {
  audit_id: 'id',
  message_id: 'text?',
  guild_id: 'id',
  channel_id: 'id',
  audit_time: 'text',
  create_time: 'text?',
  seq_in_channel: 'text?',
} as const satisfies WireFields<MessageAudited>;

/** The fields of a {@link ForumPublishAudit}; its ids may be numbers, as forum events' are. */
const FORUM_PUBLISH_AUDIT_FIELDS = {
  guild_id: 'idOrNumber',
  channel_id: 'idOrNumber',
  author_id: 'idOrNumber',
  thread_id: 'idOrNumber?',
  post_id: 'idOrNumber?',
  reply_id: 'idOrNumber?',
  type: 'integer',
  result: 'integer?',
  err_msg: 'text?',
} as const satisfies WireFields<ForumAuditResult>;

/** The fields of an {@link OpenForumEvent}; its ids may be numbers, as forum events' are. */
const OPEN_FORUM_FIELDS = {
  guild_id: 'idOrNumber',
  channel_id: 'idOrNumber',
  author_id: 'idOrNumber',
} as const satisfies WireFields<WireOpenForumEvent>;

/** The fields of an {@link AudioEvent}. */
const AUDIO_EVENT_FIELDS = {
  guild_id: 'id',
  channel_id: 'id',
  audio_url: 'text?',
  text: 'text?',
} as const satisfies WireFields<AudioAction>;

/** The fields of an {@link AudioChannelMember}. */
const AUDIO_CHANNEL_MEMBER_FIELDS = {
  guild_id: 'id',
  channel_id: 'id',
  channel_type: 'integer',
  user_id: 'id',
} as const satisfies WireFields<AudioLiveChannelMember>;

/** A guild (`GUILD_CREATE`, `GUILD_UPDATE`, `GUILD_DELETE`). */
export const Guild = snapshotModel<GuildEvent, typeof GUILD_FIELDS>('Guild', 'GUILD_*', GUILD_FIELDS);
/** Instance type of {@link Guild}. */
export type Guild = InstanceType<typeof Guild>;

/** A channel (`CHANNEL_CREATE`, `CHANNEL_UPDATE`, `CHANNEL_DELETE`). */
export const Channel = snapshotModel<ChannelEvent, typeof CHANNEL_FIELDS>(
  'Channel',
  'CHANNEL_*',
  CHANNEL_FIELDS,
);
/** Instance type of {@link Channel}. */
export type Channel = InstanceType<typeof Channel>;

/** The outcome of a message audit (`MESSAGE_AUDIT_PASS`, `MESSAGE_AUDIT_REJECT`). */
export const MessageAudit = snapshotModel<MessageAudited, typeof MESSAGE_AUDIT_FIELDS>(
  'MessageAudit',
  'MESSAGE_AUDIT_*',
  MESSAGE_AUDIT_FIELDS,
);
/** Instance type of {@link MessageAudit}. */
export type MessageAudit = InstanceType<typeof MessageAudit>;

/** The audit result of a forum publication (`FORUM_PUBLISH_AUDIT_RESULT`). */
export const ForumPublishAudit = snapshotModel<ForumAuditResult, typeof FORUM_PUBLISH_AUDIT_FIELDS>(
  'ForumPublishAudit',
  'FORUM_PUBLISH_AUDIT_RESULT',
  FORUM_PUBLISH_AUDIT_FIELDS,
);
/** Instance type of {@link ForumPublishAudit}. */
export type ForumPublishAudit = InstanceType<typeof ForumPublishAudit>;

/** A public-domain forum event (`OPEN_FORUM_*`): where it happened and who did it. */
export const OpenForumEvent = snapshotModel<WireOpenForumEvent, typeof OPEN_FORUM_FIELDS>(
  'OpenForumEvent',
  'OPEN_FORUM_*',
  OPEN_FORUM_FIELDS,
);
/** Instance type of {@link OpenForumEvent}. */
export type OpenForumEvent = InstanceType<typeof OpenForumEvent>;

/** An audio channel event (`AUDIO_START`, `AUDIO_FINISH`, `AUDIO_ON_MIC`, `AUDIO_OFF_MIC`). */
export const AudioEvent = snapshotModel<AudioAction, typeof AUDIO_EVENT_FIELDS>(
  'AudioEvent',
  'AUDIO_*',
  AUDIO_EVENT_FIELDS,
);
/** Instance type of {@link AudioEvent}. */
export type AudioEvent = InstanceType<typeof AudioEvent>;

/** A member entering or leaving an audio or live channel (`AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER/EXIT`). */
export const AudioChannelMember = snapshotModel<AudioLiveChannelMember, typeof AUDIO_CHANNEL_MEMBER_FIELDS>(
  'AudioChannelMember',
  'AUDIO_OR_LIVE_CHANNEL_MEMBER_*',
  AUDIO_CHANNEL_MEMBER_FIELDS,
);
/** Instance type of {@link AudioChannelMember}. */
export type AudioChannelMember = InstanceType<typeof AudioChannelMember>;
