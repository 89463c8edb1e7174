import { EmulatorError } from '../EmulatorError.js';
import type { RichContentGrants, RichContentGrantSet } from '../rest/rules/RichContentGrants.js';
import type { ChunkedUploads, ChunkedUploadSettings } from '../uploads/ChunkedUploads.js';
import type { UploadQuotaSnapshot } from '../uploads/UploadQuota.js';
import { isInteger, isJsonObject } from '../util/guards.js';
import { type FieldSpec, readFields } from './fieldSpec.js';

const grants = {
  nativeMarkdown: 'boolean?',
  markdownTemplates: 'boolean?',
  replyMarkdown: 'boolean?',
  keyboards: 'boolean?',
  customKeyboards: 'boolean?',
} as const satisfies FieldSpec;

const uploadSettings = {
  blockSize: 'integer?',
  concurrency: 'integer?',
  urlTtl: 'integer?',
  retryTimeout: 'integer?',
  dailyQuota: 'any',
  quotaPeriodMs: 'integer?',
} as const satisfies FieldSpec;

/** `PUT /__emulator/rich-content`: changes the grants named in `body` (`false` revokes); answers all of them. */
export function setRichContent(richContent: RichContentGrants, body: unknown): RichContentGrantSet {
  richContent.set(readFields(body, grants));
  return richContent.current;
}

/** The chunked-upload settings and quota as `GET /__emulator/uploads` answers them (JSON: no `Infinity`). */
export interface UploadsView {
  settings: Omit<ChunkedUploadSettings, 'dailyQuota'> & { dailyQuota: number | null };
  quota: UploadQuotaSnapshot;
  openUploads: number;
}

/** `GET /__emulator/uploads`: settings (an unlimited `dailyQuota` as `null`), quota and open uploads. */
export function uploadsView(uploads: ChunkedUploads): UploadsView {
  const { dailyQuota, ...rest } = uploads.settings;
  return {
    settings: { ...rest, dailyQuota: dailyQuota === Infinity ? null : dailyQuota },
    quota: uploads.quota,
    openUploads: uploads.openUploads,
  };
}

/**
 * `PUT /__emulator/uploads`: changes the settings named in `body`; `"dailyQuota": null` lifts the
 * quota. Answers as {@link uploadsView}.
 */
export function configureUploads(uploads: ChunkedUploads, body: unknown): UploadsView {
  const { dailyQuota, ...rest } = readFields(body, uploadSettings);
  // readFields leaves a null out, so whether the quota was lifted is read from the body itself.
  const lifted = isJsonObject(body) && body['dailyQuota'] === null;
  let quota: number | undefined = lifted ? Infinity : undefined;
  if (dailyQuota !== undefined) {
    if (!(isInteger(dailyQuota) && dailyQuota > 0))
      throw new EmulatorError('field "dailyQuota" must be a positive integer, or null for no quota');
    quota = dailyQuota;
  }
  uploads.configure({ ...rest, ...(quota === undefined ? {} : { dailyQuota: quota }) });
  return uploadsView(uploads);
}
