import {
  MediaFileType,
  optionalId,
  requireDuration,
  requireId,
  requireInteger,
  requireObject,
  requireOneOf,
  ValidationError,
  type BackoffOptions,
} from '@bot/core';
import {
  CHUNKED_UPLOAD_THRESHOLD,
  DEFAULT_PART_TIMEOUT,
  DEFAULT_UPLOAD_DEADLINE,
  MAX_PART_CONCURRENCY,
  MAX_PLAIN_UPLOAD,
} from './mediaLimits.js';
import type { MediaTarget, UploadMediaOptions } from './UploadMediaOptions.js';

/** {@link UploadMediaOptions} checked, with every default applied. */
export interface ResolvedUploadOptions {
  fileType: MediaFileType;
  fileName: string | undefined;
  onProgress: UploadMediaOptions['onProgress'];
  signal: AbortSignal | undefined;
  timeout: number | undefined;
  deadline: number;
  spoolDir: string | undefined;
  partTimeout: number;
  partRetries: number;
  retryBackoff: BackoffOptions;
  concurrency: number;
  chunkedThreshold: number;
  reuse: boolean;
}

const DEFAULTS = {
  deadline: DEFAULT_UPLOAD_DEADLINE,
  partTimeout: DEFAULT_PART_TIMEOUT,
  partRetries: 3,
  retryBackoff: { base: 500, max: 8000 },
  concurrency: MAX_PART_CONCURRENCY,
  chunkedThreshold: CHUNKED_UPLOAD_THRESHOLD,
  reuse: true,
} as const satisfies Partial<UploadMediaOptions>;

const FILE_TYPES = Object.values(MediaFileType);

/**
 * Checks a target: a scene of `group` or `c2c` and a non-empty id.
 *
 * @param target - the caller's target
 */
export function checkTarget(target: MediaTarget): void {
  requireObject(target, 'target');
  requireOneOf(target.scene, 'target.scene', ['group', 'c2c']);
  requireId(target.id, 'target.id');
}

/**
 * Checks the options of an upload and applies the defaults; a `ValidationError` names a wrong one.
 *
 * @param options - the caller's options
 */
export function resolveUploadOptions(options: UploadMediaOptions): ResolvedUploadOptions {
  requireObject(options, 'options');
  const backoff = options.retryBackoff ?? DEFAULTS.retryBackoff;
  requireInteger(backoff.base, 'options.retryBackoff.base', 0);
  requireInteger(backoff.max, 'options.retryBackoff.max', backoff.base);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    throw new ValidationError('options.onProgress', 'must be a function');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new ValidationError('options.signal', 'must be an AbortSignal');
  return {
    fileType: requireOneOf(options.fileType, 'options.fileType', FILE_TYPES),
    fileName: optionalId(options.fileName, 'options.fileName'),
    onProgress: options.onProgress,
    signal: options.signal,
    timeout: options.timeout === undefined ? undefined : requireDuration(options.timeout, 'options.timeout'),
    deadline: requireDuration(options.deadline ?? DEFAULTS.deadline, 'options.deadline'),
    spoolDir: optionalId(options.spoolDir, 'options.spoolDir'),
    partTimeout: requireDuration(options.partTimeout ?? DEFAULTS.partTimeout, 'options.partTimeout'),
    partRetries: requireInteger(options.partRetries ?? DEFAULTS.partRetries, 'options.partRetries', 0, 10),
    retryBackoff: backoff,
    concurrency: requireInteger(
      options.concurrency ?? DEFAULTS.concurrency,
      'options.concurrency',
      1,
      MAX_PART_CONCURRENCY,
    ),
    chunkedThreshold: requireInteger(
      options.chunkedThreshold ?? DEFAULTS.chunkedThreshold,
      'options.chunkedThreshold',
      1,
      MAX_PLAIN_UPLOAD,
    ),
    reuse: options.reuse ?? DEFAULTS.reuse,
  };
}
