/** Kinds of interaction (`type`). */
export const InteractionType = {
  /** A message button was clicked. */
  MessageButton: 11,
  /** A C2C quick-menu entry was chosen. */
  C2cQuickMenu: 12,
} as const;
/** A value of {@link InteractionType}. */
export type InteractionType = (typeof InteractionType)[keyof typeof InteractionType];

/** Where an interaction happened (`chat_type`). */
export const ChatType = {
  Guild: 0,
  Group: 1,
  C2c: 2,
} as const;
/** A value of {@link ChatType}. */
export type ChatType = (typeof ChatType)[keyof typeof ChatType];

/** What was clicked. */
export interface InteractionResolved {
  /** `action.data` of the button. */
  button_data?: string;
  /** `id` of the button. */
  button_id?: string;
  /** User id of the clicker (guilds only). */
  user_id?: string;
  /** Menu entry id (custom menus only). */
  feature_id?: string;
  /** Message the button belongs to (guilds only). */
  message_id?: string;
}

/** Payload of `INTERACTION_CREATE`. Acknowledge it with `PUT /interactions/{id}`. */
export interface Interaction {
  /** Interaction id; also usable as `event_id` for a reply. */
  id: string;
  /** Kind. */
  type: InteractionType;
  /** `guild`, `group` or `c2c`. */
  scene?: string;
  /** Where it happened. */
  chat_type?: ChatType;
  /** When it happened, RFC 3339. */
  timestamp?: string;
  /** Guild id (guild scene). */
  guild_id?: string;
  /** Channel id (guild scene). */
  channel_id?: string;
  /** Clicker's openid (C2C scene). */
  user_openid?: string;
  /** Group openid (group scene). */
  group_openid?: string;
  /** Clicker's member openid (group scene). */
  group_member_openid?: string;
  /** AppID of the bot. */
  application_id?: string;
  /** Interaction data. */
  data?: { type: number; resolved?: InteractionResolved };
  /** Protocol version, 1. */
  version?: number;
}

/** Result codes of an interaction acknowledgement (`code`). */
export const InteractionAckCode = {
  Success: 0,
  Failed: 1,
  TooFrequent: 2,
  Duplicate: 3,
  NoPermission: 4,
  AdminOnly: 5,
} as const;
/** A value of {@link InteractionAckCode}. */
export type InteractionAckCode = (typeof InteractionAckCode)[keyof typeof InteractionAckCode];

/** Body of `PUT /interactions/{interaction_id}`. */
export interface InteractionAckBody {
  /** Outcome shown to the user. */
  code: InteractionAckCode;
}
