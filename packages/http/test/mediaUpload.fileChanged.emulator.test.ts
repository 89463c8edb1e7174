import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MediaFileType, MediaUploadError, type UploadProgress } from '@bot/http';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// A file path is read more than once (its digests, then its bytes, part by part), after its size
// was taken. A file still being written, or cut short, while the upload runs must fail the upload
// at once, naming the file: never upload part of it, nor wait on a part that can never be whole.

describe('uploadMedia of a file that changes size while it uploads', () => {
  const context = useMediaEmulator();

  /** Writes `size` bytes to a file of the test's directory and returns its path. */
  function fileOf(size: number): string {
    const path = join(context.directory, 'clip.mp4');
    writeFileSync(path, pattern(size));
    return path;
  }

  /** A progress callback that cuts the file to `size` bytes the first time `phase` is reported. */
  function truncateOn(path: string, phase: UploadProgress['phase'], size: number) {
    let done = false;
    return (progress: UploadProgress): void => {
      if (done || progress.phase !== phase) return;
      done = true;
      truncateSync(path, size);
    };
  }

  /** A progress callback that adds `bytes` to the file the first time `phase` is reported. */
  function growOn(path: string, phase: UploadProgress['phase'], bytes: number) {
    let done = false;
    return (progress: UploadProgress): void => {
      if (done || progress.phase !== phase) return;
      done = true;
      appendFileSync(path, pattern(bytes, 3));
    };
  }

  it('refuses a small file still being written instead of sending the part of it written when it was opened', async () => {
    const path = fileOf(1_000);
    const error = await context.api.groups
      .uploadMedia(GROUP.id, path, {
        fileType: MediaFileType.Video,
        onProgress: growOn(path, 'reading', 500),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect((error as Error).message).toMatch(
      /changed size while it was uploaded \(1000 bytes when opened, 1500 later\)/,
    );
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
  });

  it('does not complete a large file that grew while its parts were sent', async () => {
    const path = fileOf(3 * BLOCK);
    const error = await context.api.groups
      .uploadMedia(GROUP.id, path, {
        fileType: MediaFileType.Video,
        onProgress: growOn(path, 'uploading', BLOCK),
        ...SMALL,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
  });

  it('refuses a small file cut short after it was opened instead of sending what is left of it', async () => {
    const path = fileOf(1_000);
    const error = await context.api.groups
      .uploadMedia(GROUP.id, path, {
        fileType: MediaFileType.Video,
        onProgress: truncateOn(path, 'reading', 400),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'source' });
    expect((error as Error).message).toMatch(
      /changed size while it was uploaded \(1000 bytes when opened, 400 later\)/,
    );
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
  });

  it('refuses a large file cut short before its parts are prepared', async () => {
    const path = fileOf(3 * BLOCK);
    const error = await context.api.groups
      .uploadMedia(GROUP.id, path, {
        fileType: MediaFileType.Video,
        onProgress: truncateOn(path, 'reading', BLOCK + 10),
        ...SMALL,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(0);
  });

  it('fails a part cut short under way at once, without waiting out partTimeout or retrying it', async () => {
    const path = fileOf(3 * BLOCK);
    const started = performance.now();
    const error = await context.api.groups
      .uploadMedia(GROUP.id, path, {
        fileType: MediaFileType.Video,
        onProgress: truncateOn(path, 'uploading', BLOCK + 10),
        partTimeout: 10_000,
        concurrency: 1,
        ...SMALL,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect((error as Error).message).toMatch(/changed size while it was uploaded/);
    expect(performance.now() - started).toBeLessThan(5_000);
    while (context.emulator.uploads.inFlightParts > 0) await delay(2);
    const puts = context.emulator.uploads.partRequests.map((put) => [put.index, put.bytes]);
    expect(puts).toEqual([
      [1, BLOCK],
      [2, 10], // what was left of the part, sent once: no retry, and the next part is not sent
    ]);
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
  });
});
