import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BotApi,
  createLogger,
  FileInfoCache,
  MediaFileType,
  MediaTooLargeError,
  MediaUploader,
  MediaUploadError,
  OpenMessageParams,
  RestClient,
  Token,
  type UploadProgress,
} from '@bot/http';
import { Emulator, SEED } from '@bot/testing';

const BLOCK = 64 * 1024;
const GROUP = { scene: 'group', id: SEED.groups.bookClub } as const;
/** Small blocks and a low threshold, so a few hundred KiB exercise the whole chunked flow. */
const SMALL = { chunkedThreshold: BLOCK, retryBackoff: { base: 1, max: 4 } } as const;

function pattern(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('uploadMedia against the emulator', () => {
  let emulator: Emulator;
  let rest: RestClient;
  let api: BotApi;
  let directory: string;

  const restCalls = (route: string): number =>
    emulator.recorder.records.filter((r) => r.kind === 'rest' && r.route === route).length;

  beforeEach(async () => {
    emulator = await Emulator.start();
    emulator.uploads.configure({ blockSize: BLOCK });
    rest = new RestClient({
      token: new Token(emulator.appId, emulator.secret),
      baseUrl: emulator.restUrl,
      tokenUrl: emulator.tokenUrl,
      logger: createLogger('test', 7),
    });
    api = new BotApi(rest);
    directory = await mkdtemp(join(tmpdir(), 'media-test-'));
  });
  afterEach(async () => {
    rest.destroy();
    await emulator.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('uploads a small buffer in one files call and the file_info sends as a media reply', async () => {
    const inbound = emulator.simulate.groupAtMessage({ content: 'a picture please' });
    const progress: UploadProgress[] = [];
    const media = await api.groups.uploadMedia(inbound.d.group_openid, pattern(1000), {
      fileType: MediaFileType.Image,
      onProgress: (p) => progress.push(p),
    });

    expect(media).toMatchObject({ method: 'plain', reused: false, ttl: 3600 });
    expect(restCalls('POST /v2/groups/{group_openid}/files')).toBe(1);
    expect(restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(0);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesDone: 1000, bytesTotal: 1000 });
    const sent = await api.groups.send(
      inbound.d.group_openid,
      OpenMessageParams.media(media).withReply(inbound.d.id).withMsgSeq(1),
    );
    expect(sent).toHaveProperty('id');
  });

  it('hands a URL to the platform to fetch, in one files call', async () => {
    const media = await api.c2c.uploadMedia(SEED.c2cUsers.judy, new URL('https://example.com/cat.png'), {
      fileType: MediaFileType.Image,
    });
    expect(media).toMatchObject({ method: 'url', reused: false });
    const upload = emulator.recorder.records.find(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/users/{openid}/files',
    );
    expect(upload).toMatchObject({
      body: { file_type: 1, url: 'https://example.com/cat.png', srv_send_msg: false },
    });
  });

  it('uploads a file in parts to the presigned URLs, without Authorization, reporting each part', async () => {
    const path = join(directory, 'clip.mp4');
    const size = 4 * BLOCK + 1234;
    await writeFile(path, pattern(size));
    const progress: UploadProgress[] = [];

    const media = await api.c2c.uploadMedia(SEED.c2cUsers.judy, path, {
      fileType: MediaFileType.Video,
      onProgress: (p) => progress.push(p),
      ...SMALL,
    });

    expect(media).toMatchObject({ method: 'chunked', reused: false, ttl: 3600 });
    const puts = emulator.uploads.partRequests;
    expect(puts.map((put) => [put.index, put.status, put.authorized]).sort()).toEqual(
      [1, 2, 3, 4, 5].map((index) => [index, 200, false]),
    );
    expect(puts.reduce((sum, put) => sum + put.bytes, 0)).toBe(size);
    expect(restCalls('POST /v2/users/{openid}/upload_part_finish')).toBe(5);
    const prepare = emulator.recorder.records.find(
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
    expect(emulator.uploads.openUploads).toBe(0);
  });

  it('reports bytes on the wire between stored parts, never past the total, for a smooth progress bar', async () => {
    emulator.uploads.configure({ blockSize: 1024 * 1024 });
    const size = 3 * 1024 * 1024 + 17;
    const progress: UploadProgress[] = [];
    await api.groups.uploadMedia(GROUP.id, pattern(size), {
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

  it('spools a large stream to a temporary file, uploads it in parts and removes the spool', async () => {
    const spoolsBefore = (await readdir(tmpdir())).filter((name) => name.startsWith('bot-media-')).length;
    const size = 3 * BLOCK + 10;
    const media = await api.groups.uploadMedia(GROUP.id, Readable.from([pattern(size)]), {
      fileType: MediaFileType.File,
      fileName: 'report.pdf',
      ...SMALL,
    });
    expect(media.method).toBe('chunked');
    expect(emulator.uploads.partRequests).toHaveLength(4);
    const spoolsAfter = (await readdir(tmpdir())).filter((name) => name.startsWith('bot-media-')).length;
    expect(spoolsAfter).toBe(spoolsBefore);
  });

  it('retries a part the storage host fails, and the upload still completes', async () => {
    emulator.uploads.failParts({ index: 2, times: 2, status: 503 });
    const media = await api.groups.uploadMedia(GROUP.id, pattern(3 * BLOCK), {
      fileType: MediaFileType.Video,
      ...SMALL,
    });
    expect(media.method).toBe('chunked');
    const second = emulator.uploads.partRequests.filter((put) => put.index === 2).map((put) => put.status);
    expect(second).toEqual([503, 503, 200]);
    expect(restCalls('POST /v2/groups/{group_openid}/files')).toBe(1);
  });

  it('fails with a MediaUploadError naming the part once its retries run out, and never completes', async () => {
    emulator.uploads.failParts({ index: 1, times: 10, status: 500 });
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(2 * BLOCK), { fileType: MediaFileType.Video, partRetries: 2, ...SMALL })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUploadError);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'part', partIndex: 1, attempts: 3 });
    expect((error as Error).message).toMatch(/start the upload again/);
    expect(emulator.uploads.partRequests.filter((put) => put.index === 1)).toHaveLength(3);
    expect(restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
  });

  it('gives up on a part PUT that hangs past partTimeout, retries it, then names the part', async () => {
    const release = emulator.uploads.holdParts();
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(BLOCK + 5), {
        fileType: MediaFileType.Video,
        partTimeout: 50,
        partRetries: 1,
        concurrency: 1,
        ...SMALL,
      })
      .catch((e: unknown) => e);
    while (emulator.uploads.inFlightParts > 0) await delay(2);
    release();
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'part', partIndex: 1, attempts: 2 });
    expect((error as Error).message).toMatch(/the PUT took longer than partTimeout \(50 ms\)/);
    expect(emulator.uploads.partRequests.filter((put) => put.index === 1).map((put) => put.status)).toEqual([
      0, 0,
    ]);
  });

  it('asks upload_part_finish again while the platform answers 40093001 (not ready)', async () => {
    emulator.uploads.delayPartReady(1);
    const media = await api.groups.uploadMedia(GROUP.id, pattern(BLOCK + 1), {
      fileType: MediaFileType.Image,
      ...SMALL,
    });
    expect(media.method).toBe('chunked');
    expect(restCalls('POST /v2/groups/{group_openid}/upload_part_finish')).toBe(3);
  });

  it('refuses a file over its type cap before any request: no token, no REST call, no part', async () => {
    const path = join(directory, 'huge.mp4');
    await writeFile(path, '');
    await truncate(path, 100 * 1024 * 1024 + 1);
    const error = await api.groups
      .uploadMedia(GROUP.id, path, { fileType: MediaFileType.Video })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ kind: 'mediaTooLarge', typeName: 'video', size: 100 * 1024 * 1024 + 1 });
    expect((error as MediaTooLargeError).cap).toBe(100 * 1024 * 1024);
    expect((error as Error).message).toMatch(/video of 100\.0 MiB .* over the platform's 100\.0 MiB cap/);
    expect(emulator.recorder.records).toHaveLength(0);
    expect(emulator.uploads.partRequests).toHaveLength(0);
  });

  it('stops a stream at the cap without reading the rest', async () => {
    let served = 0;
    const endless = new Readable({
      read() {
        served++;
        this.push(Buffer.alloc(1024 * 1024));
      },
    });
    const error = await api.groups
      .uploadMedia(GROUP.id, endless, { fileType: MediaFileType.Voice })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaTooLarge', typeName: 'voice', cap: 20 * 1024 * 1024 });
    expect(served).toBeLessThan(40);
    expect(endless.destroyed).toBe(true);
    expect(emulator.recorder.records).toHaveLength(0);
  });

  it('rejects with the reason of a signal aborted before the call, sending nothing', async () => {
    const reason = new Error('cancelled before it began');
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(3 * BLOCK), {
        fileType: MediaFileType.Video,
        signal: AbortSignal.abort(reason),
        ...SMALL,
      })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(emulator.recorder.records).toHaveLength(0);
  });

  it('reports a stream that fails or a path that is missing as a MediaUploadError of stage source', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    const fromStream = await api.groups
      .uploadMedia(GROUP.id, failing, { fileType: MediaFileType.Video })
      .catch((e: unknown) => e);
    expect(fromStream).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect((fromStream as Error).message).toMatch(/the stream failed: disk on fire/);
    const missing = await api.groups
      .uploadMedia(GROUP.id, join(directory, 'nope.png'), { fileType: MediaFileType.Image })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'mediaUpload', stage: 'source' });
    expect((missing as Error).message).toMatch(/cannot read .*nope\.png: ENOENT/);
    expect(emulator.recorder.records).toHaveLength(0);
  });

  it('aborts mid-upload: in-flight parts are cut, nothing completes, no timer is left', async () => {
    await api.users.me(); // the token is fetched and cached before the baseline
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const release = emulator.uploads.holdParts();
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const upload = api.groups
      .uploadMedia(GROUP.id, pattern(6 * BLOCK), {
        fileType: MediaFileType.Video,
        signal: controller.signal,
        ...SMALL,
      })
      .catch((e: unknown) => e);
    while (emulator.uploads.inFlightParts < 3) await delay(2);
    controller.abort(reason);
    expect(await upload).toBe(reason);
    // The held PUTs end because their clients went away, not because they were let go.
    while (emulator.uploads.inFlightParts > 0) await delay(2);
    release();
    expect(emulator.uploads.partRequests.every((put) => put.status === 0)).toBe(true);
    expect(restCalls('POST /v2/groups/{group_openid}/upload_part_finish')).toBe(0);
    expect(restCalls('POST /v2/groups/{group_openid}/files')).toBe(0);
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
  });

  it('keeps at most the lower of the offered and the asked concurrency of parts in flight', async () => {
    // Parts are held until that many are in flight, so the peak is reached whatever the machine's speed.
    const peakWith = async (concurrency: number | undefined, seed: number): Promise<number> => {
      emulator.uploads.reset();
      const release = emulator.uploads.holdParts();
      const upload = api.groups.uploadMedia(GROUP.id, pattern(8 * BLOCK, seed), {
        fileType: MediaFileType.Video,
        ...(concurrency === undefined ? {} : { concurrency }),
        ...SMALL,
      });
      while (emulator.uploads.inFlightParts < Math.min(concurrency ?? 3, 3)) await delay(2);
      release();
      await upload;
      return emulator.uploads.peakInFlightParts;
    };
    emulator.uploads.configure({ concurrency: 3 });
    expect(await peakWith(undefined, 1)).toBe(3);
    expect(await peakWith(2, 2)).toBe(2);
  });

  it('reports a used-up daily quota (40093002) as a MediaUploadError that says to try tomorrow', async () => {
    emulator.uploads.configure({ dailyQuota: 1 });
    await api.groups.uploadMedia(GROUP.id, pattern(BLOCK), { fileType: MediaFileType.Video, ...SMALL });
    const error = await api.groups
      .uploadMedia(GROUP.id, pattern(BLOCK, 3), { fileType: MediaFileType.Video, ...SMALL })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'prepare', code: 40093002 });
    expect((error as Error).message).toMatch(/daily upload quota is used up: try again tomorrow/);
  });

  it('reuses a file_info for the same bytes and chat until its ttl, and uploads again after', async () => {
    let now = Date.now();
    const uploader = new MediaUploader(rest, { cache: new FileInfoCache({ now: () => now }) });
    const bytes = pattern(2 * BLOCK);
    const first = await uploader.upload(GROUP, bytes, { fileType: MediaFileType.Image, ...SMALL });
    now += 60_000;
    const again = await uploader.upload(GROUP, Buffer.from(bytes), {
      fileType: MediaFileType.Image,
      ...SMALL,
    });
    expect(again).toMatchObject({ reused: true, file_info: first.file_info, ttl: first.ttl - 60 });
    expect(restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(1);

    const otherChat = await uploader.upload({ scene: 'group', id: SEED.groups.hiking }, bytes, {
      fileType: MediaFileType.Image,
      ...SMALL,
    });
    expect(otherChat.reused).toBe(false);

    now += first.ttl * 1000;
    const expired = await uploader.upload(GROUP, bytes, { fileType: MediaFileType.Image, ...SMALL });
    expect(expired.reused).toBe(false);
    expect(expired.file_info).not.toBe(first.file_info);
    expect(restCalls('POST /v2/groups/{group_openid}/upload_prepare')).toBe(3);
  });
});
