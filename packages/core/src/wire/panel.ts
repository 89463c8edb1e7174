// Command panels (`/v2/panels…`): the list a QQ client shows when the user taps "/" in the input
// box. Documented only by the official SDK, not by the platform's pages (docs/protocol.md §14).

/** Where a panel shows: C2C chats, groups, guild channels or guild DMs. */
export type PanelScope = 'c2c' | 'group' | 'channel' | 'dm';

/** Whether a panel shows to every peer of its scope or to a list of them (C2C and groups only). */
export type PanelTargetType = 'all' | 'specific';

/** What an entry does: type its `name` into the input box, or open its `link`. */
export type PanelItemType = 'command' | 'link';

/** One entry of a command panel. */
export interface PanelItem {
  /** Shown name: at most 14 columns, a CJK character taking two. */
  name?: string;
  /** Line under the name: at most 30 characters. */
  desc?: string;
  /** What choosing it does. */
  type?: PanelItemType;
  /** Offer it to group administrators only. */
  only_admin?: boolean;
  /** Where a `link` entry leads. */
  link?: string;
}

/** A panel's configuration. */
export interface Panel {
  /** Entries, at most 20. */
  items?: PanelItem[];
  /** A note of the bot's own (at most 255 characters), handy to find its panel again. */
  remark?: string;
  /** Configuration version; clients re-read a panel whose version grew. */
  version?: number;
}

/** A stored panel, as the query endpoints return it. */
export interface PanelRecord {
  panel_id: string;
  scope: PanelScope;
  target_type: PanelTargetType;
  panel: Panel;
  /** RFC 3339 time of creation. */
  created_at: string;
  /** RFC 3339 time of the last change. */
  updated_at: string;
  version: number;
  /** Users a `specific` C2C panel shows to (detail endpoint only). */
  user_openids?: string[];
  /** Groups a `specific` group panel shows to (detail endpoint only). */
  group_openids?: string[];
}

/** Query of `GET /v2/panels`. */
export interface PanelListQuery {
  scope: PanelScope;
  /** `next_cursor` of the previous page; omit for the first. */
  cursor?: string | undefined;
  /** Page size, 1–50 (20 by default). */
  limit?: number | undefined;
}

/** One page of `GET /v2/panels`. */
export interface PanelListResult {
  records: PanelRecord[];
  /** Cursor of the next page; empty on the last. */
  next_cursor: string;
  is_end: boolean;
}

/** Body of `POST /v2/panels`. */
export interface CreatePanelBody {
  scope: PanelScope;
  /** `all` when omitted; `specific` for C2C and group panels only. */
  target_type?: PanelTargetType | undefined;
  /** At most 20; a `specific` C2C panel only. */
  user_openids?: string[] | undefined;
  /** At most 20; a `specific` group panel only. */
  group_openids?: string[] | undefined;
  panel: Panel;
}

/** Answer of `POST /v2/panels`. */
export interface CreatePanelResult {
  panel_id: string;
}

/** Answer of `PUT /v2/panels/{panel_id}`. */
export interface UpdatePanelResult {
  /** The panel's version after the update. */
  version: number;
}

/** Body of `PUT /v2/panels/{panel_id}/target`: peers to add to or remove from a `specific` panel. */
export interface PanelTargetBody {
  op: 'add' | 'del';
  /** At most 20, for a C2C panel. */
  user_openids?: string[] | undefined;
  /** At most 20, for a group panel. */
  group_openids?: string[] | undefined;
}
