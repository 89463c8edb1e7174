import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  FileInfoCache,
  MediaFileType,
  MediaTooLargeError,
  MediaUploader,
  OpenMessageParams,
  ValidationError,
  type UploadProgress,
} from '@bot/http';
import { SEED } from '@bot/testing';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

describe('uploadMedia against the emulator', () => {
  const context = useMediaEmulator();
  it('uploads a small buffer in one files call and the file_info sends as a media reply', async () => {
    const inbound = context.emulator.simulate.groupAtMessage({ content: 'a picture please' });
    const progress: UploadProgress[] = [];
    const media = await context.api.groups.uploadMedia(inbound.d.group_openid, pattern(1000), {
      fileType: MediaFileType.Image,
      onProgress: (p) => progress.push(p),
    });

    expect(media).toMatchObject({ method: 'plain', reused: false, ttl: 3600 });
    expect(context.restCalls('POST /v2/groups/{group_openid}/files')).toBe(1);
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(0);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesDone: 1000, bytesTotal: 1000 });
    const sent = await context.api.groups.send(
      inbound.d.group_openid,
      OpenMessageParams.media(media).withReply(inbound.d.id).withMsgSeq(1),
    );
    expect(sent).toHaveProperty('id');
  });

  it('hands a URL to the platform to fetch, in one files call', async () => {
    const media = await context.api.c2c.uploadMedia(
      SEED.c2cUsers.judy,
      new URL('https://example.com/cat.png'),
      {
        fileType: MediaFileType.Image,
      },
    );
    expect(media).toMatchObject({ method: 'url', reused: false });
    const upload = context.emulator.recorder.records.find(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/users/{openid}/files',
    );
    expect(upload).toMatchObject({
      body: { file_type: 1, url: 'https://example.com/cat.png', srv_send_msg: false },
    });
  });

  it('uploads a file in parts to the presigned URLs, without Authorization, reporting each part', async () => {
    const path = join(context.directory, 'clip.mp4');
    const size = 4 * BLOCK + 1234;
    await writeFile(path, pattern(size));
    const progress: UploadProgress[] = [];

    const media = await context.api.c2c.uploadMedia(SEED.c2cUsers.judy, path, {
      fileType: MediaFileType.Video,
      onProgress: (p) => progress.push(p),
      ...SMALL,
    });

    expect(media).toMatchObject({ method: 'chunked', reused: false, ttl: 3600 });
    const puts = context.emulator.uploads.partRequests;
    expect(puts.map((put) => [put.index, put.status, put.authorized]).sort()).toEqual(
      [1, 2, 3, 4, 5].map((index) => [index, 200, false]),
    );
    expect(puts.reduce((sum, put) => sum + put.bytes, 0)).toBe(size);
    expect(context.restCalls('POST /v2/users/{openid}/upload_part_finish')).toBe(5);
    const prepare = context.emulator.recorder.records.find(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/users/{openid}/upload_prepare',
    );
    expect(prepare).toMatchObject({ body: { file_type: 2, file_name: 'clip.mp4', file_size: size } });
    const parts = progress.filter((p) => p.partIndex !== undefined);
    expect(parts.map((p) => p.partsDone)).toEqual([1, 2, 3, 4, 5]);
    expect(parts.map((p) => p.bytesDone)).toEqual([...parts.map((p) => p.bytesDone)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({
      phase: 'done',
      bytesDone: size,
      bytesTotal: size,
      partsTotal: 5,
    });
    expect(context.emulator.uploads.openUploads).toBe(0);
  });

  it('reports bytes on the wire between stored parts, never past the total, for a smooth progress bar', async () => {
    context.emulator.uploads.configure({ blockSize: 1024 * 1024 });
    const size = 3 * 1024 * 1024 + 17;
    const progress: UploadProgress[] = [];
    await context.api.groups.uploadMedia(GROUP.id, pattern(size), {
      fileType: MediaFileType.Video,
      chunkedThreshold: BLOCK,
      onProgress: (p) => progress.push(p),
    });
    const onTheWire = progress.filter((p) => p.bytesSent > p.bytesDone);
    expect(onTheWire.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.bytesSent).toBeGreaterThanOrEqual(p.bytesDone);
      expect(p.bytesSent).toBeLessThanOrEqual(size);
    }
    const done = progress.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesSent: size, bytesDone: size, partsDone: 4 });
    // Throttled: a report per 256 KiB at most on the wire, plus one per part and the ends.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(size / (256 * 1024)) + 4 + 3);
  });

  it('refuses a file over its type cap before any request: no token, no REST call, no part', async () => {
    const path = join(context.directory, 'huge.mp4');
    await writeFile(path, '');
    await truncate(path, 100 * 1024 * 1024 + 1);
    const error = await context.api.groups
      .uploadMedia(GROUP.id, path, { fileType: MediaFileType.Video })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ kind: 'mediaTooLarge', typeName: 'video', size: 100 * 1024 * 1024 + 1 });
    expect((error as MediaTooLargeError).cap).toBe(100 * 1024 * 1024);
    expect((error as Error).message).toMatch(/video of 100\.0 MiB .* over the platform's 100\.0 MiB cap/);
    expect(context.emulator.recorder.records).toHaveLength(0);
    expect(context.emulator.uploads.partRequests).toHaveLength(0);
  });

  it('stops a stream at the cap without reading the rest', async () => {
    let served = 0;
    const endless = new Readable({
      read() {
        served++;
        this.push(Buffer.alloc(1024 * 1024));
      },
    });
    const error = await context.api.groups
      .uploadMedia(GROUP.id, endless, { fileType: MediaFileType.Voice })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaTooLarge', typeName: 'voice', cap: 20 * 1024 * 1024 });
    expect(served).toBeLessThan(40);
    expect(endless.destroyed).toBe(true);
    expect(context.emulator.recorder.records).toHaveLength(0);
  });

  it('rejects with the reason of a signal aborted before the call, sending nothing', async () => {
    const reason = new Error('cancelled before it began');
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(3 * BLOCK), {
        fileType: MediaFileType.Video,
        signal: AbortSignal.abort(reason),
        ...SMALL,
      })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(context.emulator.recorder.records).toHaveLength(0);
  });

  it('reports a stream that fails or a path that is missing as a MediaUploadError of stage source', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    const fromStream = await context.api.groups
      .uploadMedia(GROUP.id, failing, { fileType: MediaFileType.Video })
      .catch((e: unknown) => e);
    expect(fromStream).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect((fromStream as Error).message).toMatch(/the stream failed: disk on fire/);
    const missing = await context.api.groups
      .uploadMedia(GROUP.id, join(context.directory, 'nope.png'), { fileType: MediaFileType.Image })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect((missing as Error).message).toMatch(/cannot read .*nope\.png: ENOENT/);
    expect(context.emulator.recorder.records).toHaveLength(0);
  });
  it('keeps at most the lower of the offered and the asked concurrency of parts in flight', async () => {
    // Parts are held until that many are in flight, so the peak is reached whatever the machine's speed.
    const peakWith = async (concurrency: number | undefined, seed: number): Promise<number> => {
      context.emulator.uploads.reset();
      const release = context.emulator.uploads.holdParts();
      const upload = context.api.groups.uploadMedia(GROUP.id, pattern(8 * BLOCK, seed), {
        fileType: MediaFileType.Video,
        ...(concurrency === undefined ? {} : { concurrency }),
        ...SMALL,
      });
      while (context.emulator.uploads.inFlightParts < Math.min(concurrency ?? 3, 3)) await delay(2);
      release();
      await upload;
      return context.emulator.uploads.peakInFlightParts;
    };
    context.emulator.uploads.configure({ concurrency: 3 });
    expect(await peakWith(undefined, 1)).toBe(3);
    expect(await peakWith(2, 2)).toBe(2);
  });

  it('reports a used-up daily quota (40093002) as a MediaUploadError that says to try tomorrow', async () => {
    context.emulator.uploads.configure({ dailyQuota: 1 });
    await context.api.groups.uploadMedia(GROUP.id, pattern(BLOCK), {
      fileType: MediaFileType.Video,
      ...SMALL,
    });
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(BLOCK, 3), { fileType: MediaFileType.Video, ...SMALL })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'prepare', code: 40093002 });
    expect((error as Error).message).toMatch(/daily upload quota is used up: try again tomorrow/);
  });

  it('reuses a file_info for the same bytes and chat until its ttl, and uploads again after', async () => {
    let now = Date.now();
    const uploader = new MediaUploader(context.rest, { cache: new FileInfoCache({ now: () => now }) });
    const bytes = pattern(2 * BLOCK);
    const first = await uploader.upload(GROUP, bytes, { fileType: MediaFileType.Image, ...SMALL });
    now += 60_000;
    const again = await uploader.upload(GROUP, Buffer.from(bytes), {
      fileType: MediaFileType.Image,
      ...SMALL,
    });
    expect(again).toMatchObject({ reused: true, file_info: first.file_info, ttl: first.ttl - 60 });
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(1);

    const otherChat = await uploader.upload({ scene: 'group', id: SEED.groups.hiking }, bytes, {
      fileType: MediaFileType.Image,
      ...SMALL,
    });
    expect(otherChat.reused).toBe(false);

    now += first.ttl * 1000;
    const expired = await uploader.upload(GROUP, bytes, { fileType: MediaFileType.Image, ...SMALL });
    expect(expired.reused).toBe(false);
    expect(expired.file_info).not.toBe(first.file_info);
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(3);
  });

  it('keys reuse by file name too for file_type File, and reports the method the upload used', async () => {
    const uploader = new MediaUploader(context.rest);
    const bytes = pattern(2 * BLOCK);
    const asFile = { fileType: MediaFileType.File, ...SMALL } as const;
    const report = await uploader.upload(GROUP, bytes, { ...asFile, fileName: 'report.pdf' });
    const renamed = await uploader.upload(GROUP, bytes, { ...asFile, fileName: 'summary.pdf' });
    expect(renamed.reused).toBe(false);
    expect(renamed.file_info).not.toBe(report.file_info);
    const again = await uploader.upload(GROUP, bytes, {
      ...asFile,
      fileName: 'report.pdf',
      chunkedThreshold: 4 * BLOCK, // would be one files call now; it was uploaded in parts
    });
    expect(again).toMatchObject({ reused: true, file_info: report.file_info, method: 'chunked' });
    expect(context.restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(2);
  });

  it('refuses a URL that is not http(s) with a ValidationError before any request', async () => {
    const error = await context.api.groups
      .uploadMedia(GROUP.id, new URL('file:///etc/passwd'), { fileType: MediaFileType.Image })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'source' });
    expect((error as Error).message).toMatch(/http\(s\) URL .* got file:/);
    expect(context.emulator.recorder.records).toHaveLength(0);
  });
});

describe('spooling a stream to the spoolDir', () => {
  const context = useMediaEmulator();
  const spooled = { fileType: MediaFileType.File, fileName: 'report.pdf', ...SMALL } as const;

  it('holds the spool while the parts go out and removes it after success', async () => {
    const release = context.emulator.uploads.holdParts();
    const upload = context.api.groups.uploadMedia(GROUP.id, Readable.from([pattern(3 * BLOCK + 10)]), {
      ...spooled,
      spoolDir: context.directory,
    });
    while (context.emulator.uploads.inFlightParts === 0) await delay(2);
    expect(await context.spools()).toHaveLength(1);
    release();
    expect((await upload).method).toBe('chunked');
    expect(context.emulator.uploads.partRequests).toHaveLength(4);
    expect(await context.spools()).toEqual([]);
  });

  it('removes the spool after a failed upload and after an aborted one', async () => {
    context.emulator.uploads.failParts({ index: 1, times: 10, status: 500 });
    const failed = await context.api.groups
      .uploadMedia(GROUP.id, Readable.from([pattern(2 * BLOCK)]), {
        ...spooled,
        partRetries: 0,
        spoolDir: context.directory,
      })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ kind: 'mediaUpload', stage: 'part' });
    expect(await context.spools()).toEqual([]);

    context.emulator.uploads.reset();
    const release = context.emulator.uploads.holdParts();
    const controller = new AbortController();
    const aborted = context.api.groups
      .uploadMedia(GROUP.id, Readable.from([pattern(2 * BLOCK, 3)]), {
        ...spooled,
        spoolDir: context.directory,
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    while (context.emulator.uploads.inFlightParts === 0) await delay(2);
    expect(await context.spools()).toHaveLength(1);
    controller.abort(new Error('stop'));
    expect(await aborted).toMatchObject({ message: 'stop' });
    release();
    expect(await context.spools()).toEqual([]);
  });
});
