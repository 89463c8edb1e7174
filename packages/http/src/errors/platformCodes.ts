/**
 * The platform's business codes a bot meets most, by name. `switch` on a value of the
 * {@link PlatformCode} type narrows case by case (see {@link platformCodeOf}). Sources and the
 * remedy of each are in docs/protocol.md §11.
 */
export const PlatformCode = {
  /** The access token expired; the client refreshes it and retries once. */
  TokenExpired: 11244,
  /** Messages sent too fast ("msg limit exceed"); the client pauses the route and retries. */
  MessageRateLimited: 22009,
  /** Writes to one guild channel too fast; the client pauses the route and retries. */
  ChannelWriteRateLimited: 20028,
  /** The message has nothing to show. */
  EmptyMessage: 50006,
  /** The message contains a URL that is not registered for the bot. */
  UrlNotRegistered: 304003,
  /** The bot may not use markdown templates. */
  MarkdownTemplateNotPermitted: 304036,
  /** The bot may not send message buttons (keyboards). */
  KeyboardNotPermitted: 304037,
  /** The bot may not reply with markdown (passive markdown is granted separately). */
  ReplyMarkdownNotPermitted: 304041,
  /** The bot may not send inline (custom) keyboards. */
  CustomKeyboardNotPermitted: 304057,
  /** The platform could not fetch the rich media ("upload media info fail"); retried. */
  MediaUploadFailed: 304082,
  /** The platform could not convert the rich media ("convert media info fail"); retried. */
  MediaConvertFailed: 304083,
  /** Reactions set or removed too fast; the client pauses the route and retries. */
  ReactionRateLimited: 620006,
  /** The bot may not send raw (native) markdown. */
  NativeMarkdownNotPermitted: 40034012,
  /** The `msg_id` replied to is invalid, expired, or belongs to another conversation. */
  MsgIdInvalid: 40034024,
  /** The message replied to is too old: its reply window has passed. */
  ReplyExpired: 40034005,
  /** The guild message replied to is too old to be replied to. */
  GuildMessageTooOld: 304027,
  /** The replies allowed to this message are used up. */
  RepliesUsedUp: 40034128,
  /** A proactive message (one that replies to nothing) is not permitted. */
  ProactiveNotPermitted: 40034102,
  /** The `msg_seq` was already used for this `msg_id`/`event_id`. */
  DuplicateMsgSeq: 40054005,
} as const;

/** One of the codes of {@link PlatformCode}: a union of number literals a `switch` narrows. */
export type PlatformCode = (typeof PlatformCode)[keyof typeof PlatformCode];

/** What a known code means and what to do about it. */
export interface PlatformCodeInfo {
  /** The constant's name in {@link PlatformCode}. */
  readonly name: keyof typeof PlatformCode;
  /**
   * What to do, as said in the error's message after the platform's own text. It states only the
   * action: what went wrong is the platform's text and the code's to say.
   */
  readonly remedy: string;
}

const REMEDIES: { readonly [Name in keyof typeof PlatformCode]: string } = {
  TokenExpired:
    'the client fetched a new token and retried once; if it persists, check the clock and AppSecret',
  MessageRateLimited:
    'send fewer messages per second to this conversation; the client already waited and retried',
  ChannelWriteRateLimited: 'write to this channel more slowly; the client already waited and retried',
  EmptyMessage: 'give the message content, markdown, an embed, an ark, an image or media',
  UrlNotRegistered:
    'register the URL domain in the developer console (message URL settings), or send the text without it',
  MarkdownTemplateNotPermitted: 'apply for the markdown template capability, or send plain text',
  KeyboardNotPermitted: 'apply for message buttons in the developer console, or send without a keyboard',
  ReplyMarkdownNotPermitted:
    'passive (reply) markdown is granted separately: apply for it, send plain text, or enable the rich-content fallback',
  CustomKeyboardNotPermitted:
    'inline keyboards need their own grant: use a registered keyboard template id, or send without a keyboard',
  MediaUploadFailed:
    'the platform could not fetch the media URL; make sure it is public and reachable, then retry later',
  MediaConvertFailed:
    'the platform could not convert the media; check its format (png/jpg, mp4, silk) and retry later',
  ReactionRateLimited: 'set reactions more slowly; the client already waited and retried',
  NativeMarkdownNotPermitted:
    'raw markdown needs its own grant: use a markdown template, send plain text, or enable the rich-content fallback',
  MsgIdInvalid:
    'reply to a message of this conversation within its reply window (60 min C2C, 5 min elsewhere), or reply by event_id',
  ReplyExpired: 'reply to a newer message, or to an event by event_id',
  GuildMessageTooOld: 'reply to a newer message of the channel: its reply window is 5 minutes',
  RepliesUsedUp: 'the message takes no more replies: reply to a newer message, or to an event by event_id',
  ProactiveNotPermitted: 'give the msg_id of the inbound message it answers, or the event_id of the event',
  DuplicateMsgSeq: 'number each reply to one msg_id/event_id 1, 2, 3…; the reply helpers do it for you',
};

const BY_CODE: ReadonlyMap<number, PlatformCodeInfo> = new Map(
  (Object.keys(PlatformCode) as (keyof typeof PlatformCode)[]).map((name) => [
    PlatformCode[name],
    { name, remedy: REMEDIES[name] },
  ]),
);

/**
 * Whether a number is one of the known {@link PlatformCode}s.
 *
 * @param code - a platform code
 */
export function isPlatformCode(code: unknown): code is PlatformCode {
  return typeof code === 'number' && BY_CODE.has(code);
}

/**
 * The name and remedy of a known code; `undefined` for any other.
 *
 * @param code - a platform code
 */
export function platformCodeInfo(code: number): PlatformCodeInfo | undefined {
  return BY_CODE.get(code);
}

/** Codes of a refusal whose cause is the bot's markdown or keyboard permission (docs/protocol.md §11). */
export const RICH_CONTENT_REFUSALS: ReadonlySet<number> = new Set<PlatformCode>([
  PlatformCode.MarkdownTemplateNotPermitted,
  PlatformCode.KeyboardNotPermitted,
  PlatformCode.ReplyMarkdownNotPermitted,
  PlatformCode.CustomKeyboardNotPermitted,
  PlatformCode.NativeMarkdownNotPermitted,
]);

/** Codes that mean "slow down" whatever the HTTP status (docs/protocol.md §8.6). */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set<PlatformCode>([
  PlatformCode.MessageRateLimited,
  PlatformCode.ChannelWriteRateLimited,
  PlatformCode.ReactionRateLimited,
]);

/** Codes of a media the platform failed to fetch or convert: the same request may succeed later. */
export const MEDIA_FETCH_FAILURES: ReadonlySet<number> = new Set<PlatformCode>([
  PlatformCode.MediaUploadFailed,
  PlatformCode.MediaConvertFailed,
]);
