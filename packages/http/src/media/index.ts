export { MediaUploader, type MediaUploaderOptions } from './MediaUploader.js';
export { FileInfoCache, type CachedMedia, type FileInfoCacheOptions } from './FileInfoCache.js';
export { MediaTooLargeError } from './MediaTooLargeError.js';
export {
  MediaUploadError,
  UPLOAD_QUOTA_EXCEEDED_CODE,
  type MediaUploadErrorDetails,
  type MediaUploadStage,
} from './MediaUploadError.js';
export { PART_NOT_READY_CODE } from './uploadParts.js';
export {
  CHUNKED_UPLOAD_THRESHOLD,
  MAX_PART_CONCURRENCY,
  MD5_10M_BYTES,
  MEDIA_SIZE_CAPS,
} from './mediaLimits.js';
export type {
  MediaSource,
  MediaTarget,
  UploadedMedia,
  UploadMediaOptions,
  UploadPhase,
  UploadProgress,
} from './UploadMediaOptions.js';
export {
  GroupMediaRoutes,
  UserMediaRoutes,
  type MediaUploadRoutes,
  type PlainUploadBody,
  type UploadPartFinishBody,
  type UploadPrepareAnswer,
  type UploadPrepareBody,
  type UploadPreparePart,
} from '../api/endpoints/mediaUpload.js';
