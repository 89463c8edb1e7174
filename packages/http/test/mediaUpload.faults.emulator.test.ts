import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MediaFileType, MediaUploadError } from '@bot/http';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// The faults of a chunked upload: parts failing, hanging or not ready, the completion failing,
// the caller aborting, the client shutting down, the deadline passing.

describe('uploadMedia against a faulty emulator', () => {
  const context = useMediaEmulator();
  it('retries a part the storage host fails, and the upload still completes', async () => {
    context.emulator.uploads.failParts({ index: 2, times: 2, status: 503 });
    const media = await context.api.groups.uploadMedia(GROUP.id, pattern(3 * BLOCK), {
      fileType: MediaFileType.Video,
      ...SMALL,
    });
    expect(media.method).toBe('chunked');
    const second = context.emulator.uploads.partRequests
      .filter((put) => put.index === 2)
      .map((put) => put.status);
    expect(second).toEqual([503, 503, 200]);
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(1);
  });

  it('fails with a MediaUploadError naming the part once its retries run out, and never completes', async () => {
    context.emulator.uploads.failParts({ index: 1, times: 10, status: 500 });
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { fileType: MediaFileType.Video, partRetries: 2, ...SMALL })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'part', partIndex: 1, attempts: 3 });
    expect((error as Error).message).toMatch(/start the upload again/);
    expect(context.emulator.uploads.partRequests.filter((put) => put.index === 1)).toHaveLength(3);
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
  });

  it('gives up on a part PUT that hangs past partTimeout, retries it, then names the part', async () => {
    const release = context.emulator.uploads.holdParts();
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(BLOCK + 5), {
        fileType: MediaFileType.Video,
        partTimeout: 50,
        partRetries: 1,
        concurrency: 1,
        ...SMALL,
      })
      .catch((e: unknown) => e);
    while (context.emulator.uploads.inFlightParts > 0) await delay(2);
    release();
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'part', partIndex: 1, attempts: 2 });
    expect((error as Error).message).toMatch(/the PUT took longer than partTimeout \(50 ms\)/);
    expect(
      context.emulator.uploads.partRequests.filter((put) => put.index === 1).map((put) => put.status),
    ).toEqual([0, 0]);
  });

  it('asks upload_part_finish again while the platform answers 40093001 (not ready)', async () => {
    context.emulator.uploads.delayPartReady(1);
    const media = await context.api.groups.uploadMedia(GROUP.id, pattern(BLOCK + 1), {
      fileType: MediaFileType.Image,
      ...SMALL,
    });
    expect(media.method).toBe('chunked');
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_part_finish')).toBe(3);
  });
  it('aborts mid-upload: in-flight parts are cut, nothing completes, no timer is left', async () => {
    await context.api.users.me(); // the token is fetched and cached before the baseline
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const release = context.emulator.uploads.holdParts();
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const upload = context.api.groups
      .uploadMedia(GROUP.id, pattern(6 * BLOCK), {
        fileType: MediaFileType.Video,
        signal: controller.signal,
        ...SMALL,
      })
      .catch((e: unknown) => e);
    while (context.emulator.uploads.inFlightParts < 3) await delay(2);
    controller.abort(reason);
    expect(await upload).toBe(reason);
    // The held PUTs end because their clients went away, not because they were let go.
    while (context.emulator.uploads.inFlightParts > 0) await delay(2);
    release();
    expect(context.emulator.uploads.partRequests.every((put) => put.status === 0)).toBe(true);
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_part_finish')).toBe(0);
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
  });

  it('ends with the REST client: destroy() mid-upload rejects at once with stage shutdown, no later PUT, no timer', async () => {
    await context.api.users.me(); // the token is fetched and cached before the baseline
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const release = context.emulator.uploads.holdParts();
    const upload = context.api.groups
      .uploadMedia(GROUP.id, pattern(6 * BLOCK), { fileType: MediaFileType.Video, ...SMALL })
      .catch((e: unknown) => e);
    while (context.emulator.uploads.inFlightParts < 3) await delay(2);
    context.rest.destroy();
    const error = await upload;
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'shutdown' });
    expect((error as Error).message).toMatch(/REST client was destroyed/);
    while (context.emulator.uploads.inFlightParts > 0) await delay(2);
    release();
    await delay(20);
    // Only the three parts in flight ever reached the storage host, and none was stored.
    expect(context.emulator.uploads.partRequests.map((put) => put.status)).toEqual([0, 0, 0]);
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
  });

  it('asks for the completion again after a 502, with the same upload_id, keeping every stored part', async () => {
    context.emulator.uploads.failCompletion({ status: 502 });
    const media = await context.api.groups.uploadMedia(GROUP.id, pattern(3 * BLOCK), {
      fileType: MediaFileType.Video,
      ...SMALL,
    });
    expect(media).toMatchObject({ method: 'chunked', ttl: 3600 });
    const completions = context.emulator.recorder.records.filter(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/files',
    );
    expect(completions.map((r) => (r.kind === 'rest' ? [r.status, r.body] : []))).toEqual([
      [502, { upload_id: expect.any(String) }],
      [200, { upload_id: (completions[0] as { body: { upload_id: string } }).body.upload_id }],
    ]);
    expect(context.emulator.uploads.partRequests).toHaveLength(3);
  });

  it('reports stage completionLost when a completion went through but its answer was lost', async () => {
    context.emulator.uploads.failCompletion({ status: 502, landed: true });
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { fileType: MediaFileType.Video, ...SMALL })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ stage: 'completionLost', attempts: 2 });
    expect((error as Error).message).toMatch(/upload the file again to get a file_info/);
  });

  it('gives up after three completions that fail, naming the stage complete', async () => {
    context.emulator.uploads.failCompletion({ status: 503, times: 5 });
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(BLOCK), { fileType: MediaFileType.Video, ...SMALL })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: 'complete', attempts: 3 });
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(3);
  });

  it('re-asks only upload_part_finish when it failed after the bytes were stored: the part is PUT once', async () => {
    context.emulator.faults.failRoute('POST /v2/groups/{group_openid}/upload_part_finish', {
      status: 500,
      times: 2,
    });
    const media = await context.api.groups.uploadMedia(GROUP.id, pattern(2 * BLOCK), {
      fileType: MediaFileType.Video,
      concurrency: 1,
      ...SMALL,
    });
    expect(media.method).toBe('chunked');
    expect(context.emulator.uploads.partRequests.map((put) => [put.index, put.status])).toEqual([
      [1, 200],
      [2, 200],
    ]);
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_part_finish')).toBe(4);
  });

  it('stops the whole upload at its deadline with stage deadline, leaving no timer', async () => {
    await context.api.users.me();
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const release = context.emulator.uploads.holdParts();
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { fileType: MediaFileType.Video, deadline: 200, ...SMALL })
      .catch((e: unknown) => e);
    release();
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'deadline' });
    expect((error as Error).message).toMatch(/longer than its deadline \(200 ms\)/);
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
  });
});
