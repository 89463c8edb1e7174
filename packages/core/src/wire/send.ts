import type { MessageKeyboard } from './keyboard.js';
import type { MessageArk, MessageEmbed, MessageMarkdown, MessageReference } from './message.js';

/**
 * JSON body of a guild channel or DM message (`POST /channels/{channel_id}/messages`,
 * `POST /dms/{guild_id}/messages`). At least one of `content`, `embed`, `ark`, `image` and
 * `markdown` must be set. A local image (`file_image`) needs a multipart body: use
 * `MessageParams.fileImage()`.
 */
export interface GuildMessageBody {
  /** Text; supports the platform's embedded formats (`<@user_id>`, `<#channel_id>`, …). */
  content?: string | undefined;
  /** Embed card. */
  embed?: MessageEmbed | undefined;
  /** Ark template. */
  ark?: MessageArk | undefined;
  /** Quoted message. */
  message_reference?: MessageReference | undefined;
  /** URL of an image the platform fetches and re-hosts. */
  image?: string | undefined;
  /** Id of the message this replies to (a passive reply). */
  msg_id?: string | undefined;
  /** Id of the event this replies to, for replies to non-message events. */
  event_id?: string | undefined;
  /** Markdown. */
  markdown?: MessageMarkdown | undefined;
  /** Buttons (with markdown). */
  keyboard?: MessageKeyboard | undefined;
}

/** Kinds of group and C2C message (`msg_type`). */
export const OpenMessageType = {
  Text: 0,
  Markdown: 2,
  Ark: 3,
  Embed: 4,
  Media: 7,
} as const;
/** A value of {@link OpenMessageType}. */
export type OpenMessageType = (typeof OpenMessageType)[keyof typeof OpenMessageType];

/** The uploaded file a media message carries. */
export interface MessageMedia {
  /** `file_info` from an upload result. */
  file_info: string;
}

/**
 * JSON body of a group or C2C message (`POST /v2/groups/{group_openid}/messages`,
 * `POST /v2/users/{openid}/messages`). `msg_type` decides which field carries the message.
 */
export interface OpenMessageBody {
  /** Kind of message. */
  msg_type: OpenMessageType;
  /** Text; required (a single space will do) for media messages. */
  content?: string | undefined;
  /** Markdown, for `msg_type` 2. */
  markdown?: MessageMarkdown | undefined;
  /** Buttons. */
  keyboard?: MessageKeyboard | undefined;
  /** Ark template, for `msg_type` 3. */
  ark?: MessageArk | undefined;
  /** Embed, for `msg_type` 4. */
  embed?: MessageEmbed | undefined;
  /** Uploaded media, for `msg_type` 7. */
  media?: MessageMedia | undefined;
  /** Quoted message (not yet supported by the platform). */
  message_reference?: MessageReference | undefined;
  /** Id of the event this replies to (`INTERACTION_CREATE`, `GROUP_ADD_ROBOT`, `FRIEND_ADD`, …). */
  event_id?: string | undefined;
  /** Id of the message this replies to. */
  msg_id?: string | undefined;
  /**
   * Number of this reply to `msg_id`/`event_id`, starting at 1 (the platform's default). Two
   * replies with the same pair fail with code `40054005`.
   */
  msg_seq?: number | undefined;
}

/** Result of sending a group or C2C message. */
export interface OpenMessageResult {
  /** Message id. */
  id: string;
  /** When it was sent (documented as a number; ISO strings have been seen). */
  timestamp: number | string;
}

/** Kinds of rich media upload (`file_type`). */
export const MediaFileType = {
  /** png or jpg. */
  Image: 1,
  /** mp4. */
  Video: 2,
  /** silk (or amr). */
  Voice: 3,
  /** Any file; not yet open to all bots. */
  File: 4,
} as const;
/** A value of {@link MediaFileType}. */
export type MediaFileType = (typeof MediaFileType)[keyof typeof MediaFileType];

/**
 * Body of `POST /v2/groups/{group_openid}/files` and `POST /v2/users/{openid}/files`. Give
 * exactly one of `url` and `file_data`.
 */
export interface MediaUploadBody {
  /** Kind of media. */
  file_type: MediaFileType;
  /** URL the platform downloads the file from. */
  url?: string | undefined;
  /** The file's bytes, base64-encoded. */
  file_data?: string | undefined;
  /**
   * `true` sends the media as a message at once (a proactive message, counted against the
   * quota); `false` (recommended) only returns `file_info` to send with a reply.
   */
  srv_send_msg?: boolean | undefined;
}

/** Result of a media upload. */
export interface MediaUploadResult {
  /** File id. */
  file_uuid: string;
  /** Pass as `media.file_info` of a `msg_type: 7` message. */
  file_info: string;
  /** Seconds until `file_info` expires; `0` means it does not. */
  ttl: number;
  /** Message id, when `srv_send_msg` sent a message. */
  id?: string;
}
