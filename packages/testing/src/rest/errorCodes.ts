/**
 * API error codes the emulator answers with. Codes come from the platform's error table
 * (openapi/error) or, where marked, from codes reported by SDK users in the field.
 * Where the platform documents only an HTTP status, the code equals the status.
 */
export const ErrorCode = {
  /** 10001 UnknownAccount: no such user or openid. */
  UnknownAccount: 10001,
  /** 10003 UnknownChannel. */
  UnknownChannel: 10003,
  /** 10004 UnknownGuild. */
  UnknownGuild: 10004,
  /** 11241 the request carries no token. */
  TokenMissing: 11241,
  /** 11244 the access token expired or was never issued. */
  TokenExpired: 11244,
  /** 11245 the old `Bot appid.token` form is disabled. */
  FixedTokenDisabled: 11245,
  /** 12002 RequestInvalid: the body is malformed or a field has the wrong type. */
  RequestInvalid: 12002,
  /** 22009 message rate limit (5 messages per second per channel). */
  MessageRateLimited: 22009,
  /** 50006 CannotSendEmptyMessage. */
  EmptyMessage: 50006,
  /** 50035 InvalidFormBody: multipart body cannot be parsed. */
  InvalidFormBody: 50035,
  /** 50049 only messages with a keyboard can be edited. */
  EditNeedsKeyboard: 50049,
  /** 50050 an edit must carry a keyboard. */
  EditKeyboardEmpty: 50050,
  /** 50051 only the bot's own messages can be edited. */
  EditNotOwn: 50051,
  /** 50039 the message cannot be fetched. */
  MessageNotFound: 50039,
  /** 301000 channel permission parameters are wrong. */
  PermissionParamInvalid: 301000,
  /** 302000 schedule parameters are wrong. */
  ScheduleParamInvalid: 302000,
  /** 302011 the schedule was deleted (or never existed). */
  ScheduleNotFound: 302011,
  /** 302014 a schedule lasts more than 7 days. */
  ScheduleTooLong: 302014,
  /** 302015 a schedule starts in the past. */
  ScheduleStartInPast: 302015,
  /** 302016 a schedule ends before it starts. */
  ScheduleEndBeforeStart: 302016,
  /** 302017 the schedule object is missing. */
  ScheduleMissing: 302017,
  /** 304003 content contains a URL that was not registered. */
  UrlNotAllowed: 304003,
  /** 304036 the bot may not use markdown templates. */
  MarkdownTemplateNotPermitted: 304036,
  /** 304037 the bot may not send message buttons (keyboards). */
  KeyboardNotPermitted: 304037,
  /** 304041 (field) the bot may not reply with markdown ("reply message not allow markdown"). */
  ReplyMarkdownNotPermitted: 304041,
  /** 304057 (field) the bot may not send inline keyboards ("not allowed custom keyboard"). */
  CustomKeyboardNotPermitted: 304057,
  /** 304024 reply accepted, pending manual audit (HTTP 202). */
  ReplyAuditPending: 304024,
  /** 304026 the replied-to message id is wrong (guild scenes). */
  GuildMsgIdInvalid: 304026,
  /** 304027 the replied-to message is too old (guild scenes). */
  GuildMsgIdExpired: 304027,
  /** 304032 the DM session does not exist. */
  DmNotExist: 304032,
  /** 304082 rich media could not be fetched (retryable). */
  MediaFetchFailed: 304082,
  /** 304083 rich media could not be converted (retryable). */
  MediaConvertFailed: 304083,
  /** 306002 recall: message id wrong. */
  RecallMsgIdInvalid: 306002,
  /** 306004 recall: not allowed for this message (not the bot's own, or older than 2 minutes). */
  RecallNotPermitted: 306004,
  /** 501001 announcement parameters are wrong. */
  AnnounceParamInvalid: 501001,
  /** 501008 the message id does not exist (announcements, pins). */
  AnnounceMessageMissing: 501008,
  /** 501013 too many pinned messages. */
  PinLimitReached: 501013,
  /** 503012 the thread does not exist or was deleted. */
  ThreadNotFound: 503012,
  /** 502003 mute: user id invalid. */
  MuteUserInvalid: 502003,
  /** 502005 mute: timestamp not valid. */
  MuteTimestampInvalid: 502005,
  /** 610008 API permission request parameters are wrong. */
  ApiPermissionParamInvalid: 610008,
  /** 620001 reaction parameters are wrong. */
  ReactionParamInvalid: 620001,
  /** 620003 the reaction is already set. */
  ReactionExists: 620003,
  /** 620004 the reaction was not set. */
  ReactionMissing: 620004,
  /** 620006 reactions set or removed too fast. */
  ReactionRateLimited: 620006,
  /** 630001 interaction acknowledgement parameters are wrong. */
  InteractionParamInvalid: 630001,
  /** 1100301 the bot is not a member of the group. */
  NotGroupMember: 1100301,
  /** 40034005 (field) the replied-to msg_id expired (group/C2C). */
  MsgIdExpired: 40034005,
  /** 40034012 (field) the bot may not send raw (native) markdown. */
  NativeMarkdownNotPermitted: 40034012,
  /** 40030021 (sdk) a panel shown to every peer has no target list to change. */
  PanelTargetOnAllPanel: 40030021,
  /** 40034024 (field) msg_id invalid or belongs to another conversation. */
  MsgIdInvalid: 40034024,
  /** 40034025 (field) event_id invalid. */
  EventIdInvalid: 40034025,
  /** 40034026 (field) event_id expired. */
  EventIdExpired: 40034026,
  /** 40034102 proactive messages are no longer allowed: a send must reply to something. */
  ProactiveNotAllowed: 40034102,
  /** 40034128 (field) passive reply limit reached (5 replies per inbound message). */
  ReplyLimitReached: 40034128,
  /** 40054005 duplicate msg_seq for the same msg_id / event_id. */
  DuplicateMsgSeq: 40054005,
} as const;
