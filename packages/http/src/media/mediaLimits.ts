import { MediaFileType } from '@bot/core';

// The sizes the large-media upload works with. The platform documents none of them; each comes
// from the official Node SDK (docs/protocol.md §8.8).

const MiB = 1024 * 1024;

/** The largest file of each media type the platform takes, in bytes. */
export const MEDIA_SIZE_CAPS: Readonly<Record<MediaFileType, number>> = {
  [MediaFileType.Image]: 30 * MiB,
  [MediaFileType.Video]: 100 * MiB,
  [MediaFileType.Voice]: 20 * MiB,
  [MediaFileType.File]: 100 * MiB,
};

/** From this size on, a file goes through the chunked flow instead of one `files` call. */
export const CHUNKED_UPLOAD_THRESHOLD = 5 * MiB;

/** The most one `files` call carries as base64 `file_data`: the highest threshold allowed. */
export const MAX_PLAIN_UPLOAD = 20 * MiB;

/** `md5_10m` of `upload_prepare` is the MD5 of this many leading bytes (the whole file when shorter). */
export const MD5_10M_BYTES = 10_002_432;

/** Most parts uploaded at once, whatever concurrency the platform offers. */
export const MAX_PART_CONCURRENCY = 10;

/** Parts uploaded at once when the platform's answer names no concurrency. */
export const DEFAULT_PART_CONCURRENCY = 1;

/** How long one part PUT may take, in milliseconds, unless the caller says otherwise. */
export const DEFAULT_PART_TIMEOUT = 300_000;

/** How long a whole upload may take, in milliseconds, unless the caller says otherwise. */
export const DEFAULT_UPLOAD_DEADLINE = 1_800_000;

/**
 * The smallest `block_size` taken from `upload_prepare` (unless one block holds the whole file):
 * smaller blocks would mean thousands of requests for one file. Ours: the platform states none.
 */
export const MIN_BLOCK_SIZE = 64 * 1024;

/** The most parts an upload may have, whatever `upload_prepare` answers. Ours. */
export const MAX_PARTS = 10_000;

/** The most of a storage host's error answer read, in bytes. */
export const MAX_ERROR_BODY = 4 * 1024;

/** The most of that answer a part's failure quotes, in characters, escaped as `platformText` does. */
export const ERROR_BODY_QUOTE = 200;

/** The name of a media type, for messages: `image`, `video`, `voice`, `file`. */
export function mediaTypeName(fileType: MediaFileType): string {
  switch (fileType) {
    case MediaFileType.Image:
      return 'image';
    case MediaFileType.Video:
      return 'video';
    case MediaFileType.Voice:
      return 'voice';
    case MediaFileType.File:
      return 'file';
  }
}

/** A byte count for people: `12.5 MiB`, `800 KiB`, `17 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
