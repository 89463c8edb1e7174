export {
  BotError,
  isBotError,
  ValidationError,
  type AnyBotError,
  type BotErrorKind,
  type BotErrorKinds,
} from '@bot/core';
export { ApiError, type ApiErrorDetails, type KnownApiError } from './ApiError.js';
export {
  PlatformCode,
  type PlatformCodeInfo,
  isPlatformCode,
  platformCodeInfo,
  RICH_CONTENT_REFUSALS,
  MEDIA_FETCH_FAILURES,
  RATE_LIMIT_CODES,
} from './platformCodes.js';
export { platformCodeOf, isKnownApiError, hasPlatformCode } from './platformCodeOf.js';
export { findInCauses, MAX_CAUSE_DEPTH } from './findInCauses.js';
export {
  RateLimitedError,
  type RateLimitBound,
  type QueuedBehind,
  type WindowOwner,
} from './RateLimitedError.js';
export { AuthenticationError } from './AuthenticationError.js';
export { NetworkError } from './NetworkError.js';
export { ClientDestroyedError, type DestroyedPart } from './ClientDestroyedError.js';
export { AbortedAfterSendError } from './AbortedAfterSendError.js';
export { TimeoutError } from './TimeoutError.js';
export type { TimeSpent, QueuedFor } from './TimeSpent.js';
export { ResponseTooLargeError } from './ResponseTooLargeError.js';
export { ConnectionQueueFullError } from './ConnectionQueueFullError.js';
export { DecodeError } from './DecodeError.js';
export { DUPLICATE_MSG_SEQ_CODE, DuplicateSendError } from './DuplicateSendError.js';
export type { HttpError } from './HttpError.js';
export { RichContentFallbackError } from './RichContentFallbackError.js';
export { ACCESS_TOKEN_ROUTE } from './delivery.js';
