import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator, type EmulatorOptions } from '@bot/testing';
import { call } from './helpers/http.js';
import {
  hex,
  placeholderPrepareBody,
  uploadPrepareBody,
  type PreparedUpload,
} from './support/uploadPrepare.js';

const BLOCK = 1000;

describe('chunked media upload', () => {
  let emu: Emulator;
  let token: string;
  let group: string;
  const post = (path: string, body: unknown) =>
    call(emu.restUrl, 'POST', `/v2/groups/${group}${path}`, { token, body });
  const put = async (url: string, bytes: Buffer, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'PUT', body: bytes, headers });
    await response.text();
    return response;
  };
  const file = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) & 0xff));
  const prepare = async (bytes: Buffer, overrides: { md5?: string } = {}): Promise<PreparedUpload> => {
    const answer = await post(
      '/upload_prepare',
      uploadPrepareBody(bytes, { file_name: 'clip.mp4', ...overrides }),
    );
    expect(answer.status).toBe(200);
    return answer.body as unknown as PreparedUpload;
  };
  const partBytes = (bytes: Buffer, index: number): Buffer =>
    bytes.subarray((index - 1) * BLOCK, index * BLOCK);
  const storeAll = async (bytes: Buffer, prepared: PreparedUpload): Promise<void> => {
    for (const part of prepared.parts) {
      const slice = partBytes(bytes, part.index);
      expect((await put(part.presigned_url, slice)).status).toBe(200);
      const finished = await post('/upload_part_finish', {
        upload_id: prepared.upload_id,
        part_index: part.index,
        block_size: slice.length,
        md5: hex('md5', slice),
      });
      expect(finished.status).toBe(200);
    }
  };

  const start = async (options: EmulatorOptions = {}): Promise<void> => {
    emu = await Emulator.start(options);
    token = emu.createAccessToken();
    group = emu.world.defaults.groupOpenid;
  };
  /** A new emulator that reads bodies of up to 32 MiB, for one-call uploads past the 20 MiB cap. */
  const restartWithLargeBodies = async (): Promise<void> => {
    await emu.stop();
    await start({ maxBodyBytes: 32 * 1024 * 1024 });
  };

  beforeEach(async () => {
    await start();
    emu.uploads.configure({ blockSize: BLOCK, concurrency: 2, retryTimeout: 30 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await emu.stop();
  });

  it('prepares parts numbered from 1, each with a URL on the emulator, sizes and the settings', async () => {
    const prepared = await prepare(file(2500));
    expect(prepared).toMatchObject({ block_size: '1000', concurrency: 2, retry_timeout: 30 });
    expect(prepared.parts.map((part) => [part.index, part.block_size])).toEqual([
      [1, '1000'],
      [2, '1000'],
      [3, '500'],
    ]);
    for (const part of prepared.parts) {
      expect(part.presigned_url.startsWith(`${emu.restUrl}/_storage/parts/${prepared.upload_id}/`)).toBe(
        true,
      );
      expect(part.presigned_url).toMatch(/[?&]signature=[0-9a-f]{64}/);
    }
  });

  it('refuses upload_prepare over the type cap, with bad digests, and past the daily quota (40093002)', async () => {
    const tooBig = await post(
      '/upload_prepare',
      placeholderPrepareBody(20 * 1024 * 1024 + 1, { file_type: 3, file_name: 'a.silk' }),
    );
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toMatchObject({ message: expect.stringMatching(/voice .* exceeds/) });
    const badDigest = await post(
      '/upload_prepare',
      placeholderPrepareBody(10, { md5: 'x', sha1: 'y', md5_10m: 'z' }),
    );
    expect(badDigest.status).toBe(400);

    emu.uploads.configure({ dailyQuota: 1 });
    await prepare(file(10));
    const over = await post('/upload_prepare', placeholderPrepareBody(10));
    expect(over.body).toMatchObject({ code: 40093002 });
  });

  it('refuses a one-call upload whose file_data is over its type cap, and takes one at the cap', async () => {
    await restartWithLargeBodies();
    const cap = 20 * 1024 * 1024;
    const over = await post('/files', { file_type: 3, file_data: Buffer.alloc(cap + 1).toString('base64') });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ message: expect.stringMatching(/voice of 20971521 bytes exceeds/) });
    const at = await post('/files', { file_type: 3, file_data: Buffer.alloc(cap).toString('base64') });
    expect(at.status).toBe(200);
  });

  it('stores a part PUT without Authorization and answers its MD5 as ETag', async () => {
    const bytes = file(1500);
    const prepared = await prepare(bytes);
    const first = prepared.parts[0]!;
    const response = await put(first.presigned_url, partBytes(bytes, 1));
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${hex('md5', partBytes(bytes, 1))}"`);
    expect(emu.uploads.partRequests).toEqual([
      { uploadId: prepared.upload_id, index: 1, bytes: 1000, status: 200, authorized: false },
    ]);
  });

  it('refuses a part URL with a changed signature, index or expiry, and one past its expiry', async () => {
    const bytes = file(1500);
    const prepared = await prepare(bytes);
    const url = new URL(prepared.parts[0]!.presigned_url);
    const forged = new URL(url);
    forged.searchParams.set('signature', 'ab'.repeat(32));
    expect((await put(forged.href, partBytes(bytes, 1))).status).toBe(403);
    const otherIndex = new URL(url);
    otherIndex.pathname = otherIndex.pathname.replace(/\/1$/, '/2');
    expect((await put(otherIndex.href, partBytes(bytes, 2))).status).toBe(403);
    const longer = new URL(url);
    longer.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1));
    expect((await put(longer.href, partBytes(bytes, 1))).status).toBe(403);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_600_001);
    const expired = await fetch(url, { method: 'PUT', body: partBytes(bytes, 1) });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ error: expect.stringMatching(/expired/) });
  });

  it('refuses a part of the wrong size and answers 405 to anything but PUT', async () => {
    const bytes = file(1500);
    const prepared = await prepare(bytes);
    const url = prepared.parts[1]!.presigned_url;
    const short = await put(url, partBytes(bytes, 2).subarray(1));
    expect(short.status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
    expect(emu.uploads.session(prepared.upload_id)?.parts.size).toBe(0);
  });

  it('checks upload_part_finish against the stored part: stored at all, size and MD5', async () => {
    const bytes = file(1500);
    const prepared = await prepare(bytes);
    const report = (body: Record<string, unknown>) =>
      post('/upload_part_finish', { upload_id: prepared.upload_id, part_index: 1, ...body });
    expect((await report({ block_size: 1000, md5: hex('md5', partBytes(bytes, 1)) })).status).toBe(400);
    await put(prepared.parts[0]!.presigned_url, partBytes(bytes, 1));
    expect((await report({ block_size: 999, md5: hex('md5', partBytes(bytes, 1)) })).status).toBe(400);
    expect((await report({ block_size: 1000, md5: '0'.repeat(32) })).status).toBe(400);
    emu.uploads.delayPartReady(1);
    const notReady = await report({ block_size: 1000, md5: hex('md5', partBytes(bytes, 1)) });
    expect(notReady.body).toMatchObject({ code: 40093001 });
    expect((await report({ block_size: 1000, md5: hex('md5', partBytes(bytes, 1)) })).status).toBe(200);
  });

  it('completes only when every part is stored and reported, once, in the chat it was prepared for', async () => {
    const bytes = file(2500);
    const prepared = await prepare(bytes);
    const early = await post('/files', { upload_id: prepared.upload_id });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({ message: expect.stringMatching(/part 1 of 3/) });

    await storeAll(bytes, prepared);
    const elsewhere = await call(emu.restUrl, 'POST', `/v2/users/${emu.world.defaults.userOpenid}/files`, {
      token,
      body: { upload_id: prepared.upload_id },
    });
    expect(elsewhere.status).toBe(400);
    const done = await post('/files', { upload_id: prepared.upload_id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ file_info: expect.any(String), ttl: 3600 });
    expect((await post('/files', { upload_id: prepared.upload_id })).status).toBe(400);

    const inbound = emu.simulate.groupAtMessage({ content: 'clip?' });
    const sent = await post('/messages', {
      msg_type: 7,
      content: ' ',
      media: { file_info: (done.body as { file_info: string }).file_info },
      msg_id: inbound.d.id,
      msg_seq: 1,
    });
    expect(sent.status).toBe(200);
  });

  it('fails armed part PUTs of later uploads with the status asked for, then stores the part', async () => {
    const bytes = file(1500);
    const earlier = await prepare(bytes);
    emu.uploads.failParts({ index: 2, times: 2, status: 502 });
    const prepared = await prepare(bytes);
    expect((await put(earlier.parts[1]!.presigned_url, partBytes(bytes, 2))).status).toBe(200);
    const url = prepared.parts[1]!.presigned_url;
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await put(url, partBytes(bytes, 2))).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect((await put(prepared.parts[0]!.presigned_url, partBytes(bytes, 1))).status).toBe(200);
  });

  it('emu.faults.reset() disarms the upload faults too, and keeps peakInFlightParts', async () => {
    const bytes = file(1500);
    const prepared = await prepare(bytes);
    await storeAll(bytes, prepared);
    expect(emu.uploads.peakInFlightParts).toBe(1);
    emu.uploads.failParts({ times: 5 });
    emu.uploads.failCompletion({ times: 5 });
    emu.uploads.delayPartReady(5);

    emu.faults.reset();
    expect(emu.uploads.peakInFlightParts).toBe(1);
    const again = await prepare(bytes);
    await storeAll(bytes, again); // no part PUT fails, no finish answers "not ready"
    expect((await post('/files', { upload_id: again.upload_id })).status).toBe(200);
  });

  it("refuses to complete when the stored parts' MD5 is not the md5 upload_prepare stated", async () => {
    const bytes = file(2500);
    const prepared = await prepare(bytes, { md5: hex('md5', file(2400)) });
    await storeAll(bytes, prepared);
    const done = await post('/files', { upload_id: prepared.upload_id });
    expect(done.status).toBe(400);
    expect(done.body).toMatchObject({
      message: expect.stringMatching(/is not the md5 .* upload_prepare stated/),
    });
  });

  it('fails armed completions: with the upload still open, or having completed it first (landed)', async () => {
    const bytes = file(1500);
    const prepared = await prepare(bytes);
    await storeAll(bytes, prepared);
    emu.uploads.failCompletion({ status: 502 });
    expect((await post('/files', { upload_id: prepared.upload_id })).status).toBe(502);
    expect(emu.uploads.openUploads).toBe(1);
    expect((await post('/files', { upload_id: prepared.upload_id })).status).toBe(200);

    const landed = await prepare(bytes);
    await storeAll(bytes, landed);
    emu.uploads.failCompletion({ status: 504, landed: true });
    expect((await post('/files', { upload_id: landed.upload_id })).status).toBe(504);
    expect(emu.uploads.openUploads).toBe(0);
    const again = await post('/files', { upload_id: landed.upload_id });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ message: expect.stringMatching(/does not name an open upload/) });
  });

  it('refuses a one-call upload over 20 MiB of file_data whatever its type cap', async () => {
    await restartWithLargeBodies();
    const limit = 20 * 1024 * 1024;
    const over = await post('/files', {
      file_type: 2,
      file_data: Buffer.alloc(limit + 1).toString('base64'),
    });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ message: expect.stringMatching(/one-call upload .* 20971520/) });
    const at = await post('/files', { file_type: 2, file_data: Buffer.alloc(limit).toString('base64') });
    expect(at.status).toBe(200);
  });
});
