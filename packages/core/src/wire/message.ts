import type { MessageMember } from './member.js';
import type { OperatorUser, User } from './user.js';

/** A file attached to an inbound message. */
export interface MessageAttachment {
  /** Download URL (sometimes without a scheme). */
  url: string;
  /** Attachment id. */
  id?: string;
  /** File name. */
  filename?: string;
  /** MIME type, or `file`/`voice` for those kinds. */
  content_type?: string;
  /** Size in bytes. */
  size?: number;
  /** Image width in pixels. */
  width?: number;
  /** Image height in pixels. */
  height?: number;
}

/** A field of an {@link MessageEmbed}. */
export interface MessageEmbedField {
  /** Field text. */
  name: string;
  /** Field value. */
  value?: string;
}

/** An embed: a titled card with fields (a special ark). */
export interface MessageEmbed {
  /** Title. */
  title?: string;
  /** Description. */
  description?: string;
  /** Text shown in notifications and the message list. */
  prompt?: string;
  /** Thumbnail image. */
  thumbnail?: { url: string };
  /** Fields, one per line. */
  fields?: MessageEmbedField[];
}

/** A key/value pair inside an {@link MessageArkObject}. */
export interface MessageArkObjectKv {
  /** Key. */
  key: string;
  /** Value. */
  value: string;
}

/** An object of a list-valued ark entry. */
export interface MessageArkObject {
  /** The object's pairs. */
  obj_kv: MessageArkObjectKv[];
}

/** One entry of an ark template: a plain value or a list of objects. */
export interface MessageArkKv {
  /** Template key. */
  key: string;
  /** Plain value. */
  value?: string;
  /** List value. */
  obj?: MessageArkObject[];
}

/** An ark message: a platform template filled with values. */
export interface MessageArk {
  /** Template id. */
  template_id: number;
  /** Template values. */
  kv: MessageArkKv[];
}

/** A value of a markdown template parameter. */
export interface MarkdownParam {
  /** Template key. */
  key: string;
  /** One value, or several for a list parameter. */
  values: string[];
}

/**
 * A markdown message: either raw `content`, or a template (`custom_template_id`, or a platform
 * `template_id`) with `params`. The platform rejects both at once.
 */
export interface MessageMarkdown {
  /** Raw markdown. */
  content?: string;
  /** Id of a template the developer registered. */
  custom_template_id?: string;
  /** Id of a platform template. */
  template_id?: number;
  /** Template values. */
  params?: MarkdownParam[];
}

/** A quoted message. */
export interface MessageReference {
  /** Id of the message to quote. */
  message_id: string;
  /** Send anyway when the quoted message cannot be fetched (by default the send fails). */
  ignore_get_message_error?: boolean;
}

/** A message in a guild channel or a guild DM. */
export interface Message {
  /** Message id. */
  id: string;
  /** Channel id. */
  channel_id: string;
  /** Guild id (for a DM: the DM session's guild id). */
  guild_id: string;
  /** Text content; `&`, `<`, `>` arrive escaped as `&amp;`, `&lt;`, `&gt;`. */
  content?: string;
  /** When the message was sent, ISO 8601. */
  timestamp: string;
  /** When the message was last edited, ISO 8601. */
  edited_timestamp?: string;
  /** Whether the message mentions everyone. */
  mention_everyone?: boolean;
  /** Who sent the message. */
  author: User;
  /** The author's membership (partial). */
  member?: MessageMember;
  /** Attached files. */
  attachments?: MessageAttachment[];
  /** Embeds. */
  embeds?: MessageEmbed[];
  /** Mentioned users. */
  mentions?: User[];
  /** Ark content. */
  ark?: MessageArk;
  /** Ordering number across the guild. */
  seq?: number;
  /** Ordering number within the channel (a decimal string). */
  seq_in_channel?: string;
  /** The quoted message. */
  message_reference?: MessageReference;
  /** `true` on DM messages. */
  direct_message?: boolean;
  /** For a DM: the guild the DM was opened from. */
  src_guild_id?: string;
}

/** Payload of `MESSAGE_DELETE`, `PUBLIC_MESSAGE_DELETE` and `DIRECT_MESSAGE_DELETE`. */
export interface MessageDelete {
  /** The deleted message (partial). */
  message: Partial<Message> & { id: string };
  /** Who deleted it. */
  op_user: OperatorUser;
}

/** Payload of `MESSAGE_AUDIT_PASS` and `MESSAGE_AUDIT_REJECT`. */
export interface MessageAudited {
  /** Audit id, as the pending send result carried it. */
  audit_id: string;
  /** Id of the message, once it passed. */
  message_id?: string;
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** When the audit finished, ISO 8601. */
  audit_time: string;
  /**
   * When the message was submitted, ISO 8601. Documented, but optional here: an adapter that
   * validates live traffic found it missing, and an audit outcome must not be dropped for it
   * (docs/protocol.md §16.2).
   */
  create_time?: string;
  /** Ordering number within the channel, once it passed. */
  seq_in_channel?: string;
}

/** Query of `DELETE /channels/{channel_id}/messages/{message_id}` and the DM variant. */
export interface RecallQuery {
  /** Hide the grey "message recalled" notice. */
  hidetip?: boolean | undefined;
}
