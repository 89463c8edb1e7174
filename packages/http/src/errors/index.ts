export { BotError, isBotError, ValidationError, type BotErrorKind, type BotErrorKinds } from '@bot/core';
export { ApiError, type ApiErrorDetails } from './ApiError.js';
export { RateLimitedError, type RateLimitBound } from './RateLimitedError.js';
export { AuthenticationError } from './AuthenticationError.js';
export { NetworkError } from './NetworkError.js';
export { TimeoutError } from './TimeoutError.js';
export { DecodeError } from './DecodeError.js';
export { DUPLICATE_MSG_SEQ_CODE, DuplicateSendError } from './DuplicateSendError.js';
export type { HttpError } from './HttpError.js';
