import { createHash } from 'node:crypto';

/** The body of `POST …/upload_prepare`, the first step of a chunked upload (docs/protocol.md §8.8). */
export interface UploadPrepareBody {
  file_type: number;
  file_name?: string;
  file_size: number;
  md5: string;
  sha1: string;
  md5_10m: string;
}

/** The answer to `upload_prepare`: the upload's id, its parts with their signed URLs, the settings. */
export interface PreparedUpload {
  upload_id: string;
  block_size: string;
  parts: { index: number; presigned_url: string; block_size: string }[];
  concurrency: number;
  retry_timeout: number;
}

/** The bytes `md5_10m` covers: the start of the file (docs/protocol.md §8.8). */
const MD5_10M_BYTES = 10_002_432;

/** The hex digest of `bytes` by `algorithm`. */
export function hex(algorithm: 'md5' | 'sha1', bytes: Buffer): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

/**
 * What a real client prepares for `bytes`: a video (`file_type` 2) with every digest computed
 * from the bytes, the fields in `overrides` replaced.
 */
export function uploadPrepareBody(
  bytes: Buffer,
  overrides: Partial<UploadPrepareBody> = {},
): UploadPrepareBody {
  return {
    file_type: 2,
    file_size: bytes.length,
    md5: hex('md5', bytes),
    sha1: hex('sha1', bytes),
    md5_10m: hex('md5', bytes.subarray(0, MD5_10M_BYTES)),
    ...overrides,
  };
}

/**
 * A well-formed body for a video of `fileSize` bytes whose digests are zeros: for the checks the
 * emulator makes before any part arrives (type caps, the quota, the number of parts).
 */
export function placeholderPrepareBody(
  fileSize: number,
  overrides: Partial<UploadPrepareBody> = {},
): UploadPrepareBody {
  return {
    file_type: 2,
    file_size: fileSize,
    md5: '0'.repeat(32),
    sha1: '0'.repeat(40),
    md5_10m: '0'.repeat(32),
    ...overrides,
  };
}
