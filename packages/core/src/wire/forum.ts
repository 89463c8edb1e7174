/** Formats of a thread's content (`format`). */
export const ThreadFormat = {
  Text: 1,
  Html: 2,
  Markdown: 3,
  Json: 4,
} as const;
/** A value of {@link ThreadFormat}. */
export type ThreadFormat = (typeof ThreadFormat)[keyof typeof ThreadFormat];

/** One element of forum rich text, as forum events deliver titles and contents. */
export interface ForumRichElement {
  /** 1 text, 2 mention, 3 URL, 4 emoji, 5 channel, 10 video, 11 image. */
  type: number;
  /** Text element. */
  text_info?: { text: string };
  /** Mention element. */
  at_info?: {
    type: number;
    user_info?: { id: string; nick?: string };
    role_info?: { role_id: string; name?: string };
  };
  /** Link element. */
  url_info?: { url: string; display_text?: string };
  /** Emoji element. */
  emoji_info?: { id: string; type: string };
  /** Channel element. */
  channel_info?: { channel_id: string; channel_name?: string };
}

/**
 * Forum text: the REST API returns a JSON string of rich text, events deliver the parsed
 * elements.
 */
export type ForumText = string | ForumRichElement[];

/** Title, content and time of a thread. */
export interface ThreadInfo {
  /** Thread id. */
  thread_id: string;
  /** Title. */
  title: ForumText;
  /** Content. */
  content: ForumText;
  /** When it was posted, ISO 8601. */
  date_time: string;
}

/** A thread (帖子) of a forum channel; also the payload of `FORUM_THREAD_*` events. */
export interface Thread {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Author's user id. */
  author_id: string;
  /** The thread itself. */
  thread_info: ThreadInfo;
}

/** Result of `GET /channels/{channel_id}/threads`. */
export interface ThreadList {
  /** Threads of the page. */
  threads?: Thread[];
  /** `1` when this is the last page. */
  is_finish: number;
}

/** Result of `GET /channels/{channel_id}/threads/{thread_id}`. */
export interface ThreadDetail {
  /** The thread. */
  thread: Thread;
}

/** Body of `PUT /channels/{channel_id}/threads`. */
export interface CreateThreadBody {
  /** Title. */
  title: string;
  /** Content, in `format`. */
  content: string;
  /** Format of the content. */
  format: ThreadFormat;
}

/** Result of publishing a thread (the thread appears once audited). */
export interface CreateThreadResult {
  /** Id of the publishing task. */
  task_id: string;
  /** When it was submitted (Unix seconds as a string). */
  create_time: string;
}

/** A post (comment) under a thread. */
export interface PostInfo {
  /** Thread id. */
  thread_id: string;
  /** Post id. */
  post_id: string;
  /** Content. */
  content: ForumText;
  /** When it was posted, ISO 8601. */
  date_time: string;
}

/** Payload of `FORUM_POST_CREATE` and `FORUM_POST_DELETE`. */
export interface Post {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Author's user id. */
  author_id: string;
  /** The post. */
  post_info: PostInfo;
}

/** A reply to a post. */
export interface ReplyInfo {
  /** Thread id. */
  thread_id: string;
  /** Post id. */
  post_id: string;
  /** Reply id. */
  reply_id: string;
  /** Content. */
  content: ForumText;
  /** When it was posted, ISO 8601. */
  date_time: string;
}

/** Payload of `FORUM_REPLY_CREATE` and `FORUM_REPLY_DELETE`. */
export interface Reply {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Author's user id. */
  author_id: string;
  /** The reply. */
  reply_info: ReplyInfo;
}

/** Payload of `FORUM_PUBLISH_AUDIT_RESULT`. */
export interface ForumAuditResult {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Author's user id. */
  author_id: string;
  /** Thread id. */
  thread_id?: string;
  /** Post id. */
  post_id?: string;
  /** Reply id. */
  reply_id?: string;
  /** 1 thread, 2 post, 3 reply. */
  type: number;
  /**
   * `0` passed, anything else failed. Documented, but optional here: a sender that leaves out zero
   * values drops it when the publication passed, so its absence is no proof of failure
   * (docs/protocol.md §16.2).
   */
  result?: number;
  /** Why it failed. */
  err_msg?: string;
}

/** Payload of the public-domain `OPEN_FORUM_*` events (ids only). */
export interface OpenForumEvent {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** Author's user id. */
  author_id: string;
}
