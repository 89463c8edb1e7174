import type { ApiError } from './ApiError.js';
import type { AuthenticationError } from './AuthenticationError.js';
import type { ClientDestroyedError } from './ClientDestroyedError.js';
import type { DecodeError } from './DecodeError.js';
import type { DuplicateSendError } from './DuplicateSendError.js';
import type { NetworkError } from './NetworkError.js';
import type { RateLimitedError } from './RateLimitedError.js';
import type { RichContentFallbackError } from './RichContentFallbackError.js';
import type { TimeoutError } from './TimeoutError.js';
import type { ResponseTooLargeError } from './ResponseTooLargeError.js';
import type { ValidationError } from '@bot/core';
import type { PanelListError } from '../api/PanelListError.js';
import type { MediaTooLargeError } from '../media/MediaTooLargeError.js';
import type { MediaUploadError } from '../media/MediaUploadError.js';
import type { FileImageTooLargeError } from '../messages/FileImageTooLargeError.js';
import type { AbortedAfterSendError } from './AbortedAfterSendError.js';
import type { ConnectionQueueFullError } from './ConnectionQueueFullError.js';

/**
 * Every error `@bot/http` throws, as a union: `switch (error.kind)` narrows it to the class, so
 * `case 'api':` can read `error.code` without a cast.
 */
export type HttpError =
  | ApiError
  | RateLimitedError
  | AuthenticationError
  | NetworkError
  | ClientDestroyedError
  | TimeoutError
  | ResponseTooLargeError
  | DecodeError
  | DuplicateSendError
  | RichContentFallbackError
  | PanelListError
  | ConnectionQueueFullError
  | AbortedAfterSendError
  | MediaUploadError
  | MediaTooLargeError
  | FileImageTooLargeError
  | ValidationError;
