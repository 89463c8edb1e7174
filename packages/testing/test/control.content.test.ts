/**
 * The control API's rich-content grants, upload settings and quota, and upload faults: what a bot
 * in any language (or `curl`) sets up over HTTP before it sends or uploads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { call } from './helpers/http.js';
import {
  hex,
  placeholderPrepareBody,
  uploadPrepareBody,
  type PreparedUpload,
} from './support/uploadPrepare.js';

describe('HTTP control API: rich content and uploads', () => {
  let emu: Emulator;
  const control = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    call<T>(emu.controlUrl, method, path, body !== undefined ? { body } : {});
  const post = (path: string, body: unknown) =>
    call(emu.restUrl, 'POST', `/v2/groups/${emu.world.defaults.groupOpenid}${path}`, {
      token: emu.createAccessToken(),
      body,
    });
  const bytes = Buffer.alloc(1500, 7);
  const slice = (index: number): Buffer => bytes.subarray((index - 1) * 1000, index * 1000);
  const prepare = async (): Promise<PreparedUpload> => {
    const answer = await post('/upload_prepare', uploadPrepareBody(bytes));
    expect(answer.status).toBe(200);
    return answer.body as unknown as PreparedUpload;
  };
  const putPart = async (prepared: PreparedUpload, index: number): Promise<number> => {
    const url = prepared.parts[index - 1]?.presigned_url ?? '';
    const response = await fetch(url, { method: 'PUT', body: slice(index) });
    await response.text();
    return response.status;
  };
  const finish = (prepared: PreparedUpload, index: number) =>
    post('/upload_part_finish', {
      upload_id: prepared.upload_id,
      part_index: index,
      block_size: slice(index).length,
      md5: hex('md5', slice(index)),
    });

  beforeEach(async () => {
    emu = await Emulator.start();
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('revokes a rich-content grant with PUT /rich-content: the send is refused with its code; DELETE grants all again', async () => {
    const all = await control('GET', '/rich-content');
    expect(all.body).toEqual({
      nativeMarkdown: true,
      markdownTemplates: true,
      replyMarkdown: true,
      keyboards: true,
      customKeyboards: true,
    });
    const revoked = await control('PUT', '/rich-content', { nativeMarkdown: false });
    expect(revoked.body).toMatchObject({ nativeMarkdown: false, keyboards: true });
    const msgId = emu.simulate.groupAtMessage({ content: 'show me' }).d.id;
    const markdown = (msgSeq: number) => ({
      msg_type: 2,
      markdown: { content: '**bold**' },
      msg_id: msgId,
      msg_seq: msgSeq,
    });
    expect((await post('/messages', markdown(1))).body).toMatchObject({ code: 40034012 });

    expect((await control('DELETE', '/rich-content')).body).toMatchObject({ nativeMarkdown: true });
    const sent = await post('/messages', markdown(2));
    expect(sent.body).not.toHaveProperty('code');
    expect(sent.status).toBe(200);
    expect((await control('PUT', '/rich-content', { keyboards: 'no' })).body).toEqual({
      error: 'field "keyboards" must be a boolean',
    });
    expect((await control('PUT', '/rich-content', { buttons: false })).status).toBe(400);
  });

  it('sets the upload settings and daily quota with PUT /uploads and reports the quota with GET /uploads', async () => {
    const before = await control<{ settings: Record<string, unknown>; quota: Record<string, unknown> }>(
      'GET',
      '/uploads',
    );
    expect(before.body.settings).toMatchObject({ dailyQuota: null, quotaPeriodMs: 86_400_000 });
    expect(before.body.quota).toMatchObject({ limit: null, used: 0, remaining: null });

    const set = await control('PUT', '/uploads', { blockSize: 1000, dailyQuota: 1 });
    expect(set.body).toMatchObject({ settings: { blockSize: 1000, dailyQuota: 1 }, quota: { remaining: 1 } });
    await prepare();
    expect((await control('GET', '/uploads')).body).toMatchObject({
      quota: { limit: 1, used: 1, remaining: 0 },
      openUploads: 1,
    });
    const over = await post('/upload_prepare', placeholderPrepareBody(10));
    expect(over.body).toMatchObject({ code: 40093002 });

    expect((await control('PUT', '/uploads', { dailyQuota: null })).body).toMatchObject({
      settings: { dailyQuota: null },
      quota: { limit: null },
    });
    await prepare();
    const period = await control<{ settings: Record<string, unknown>; quota: { resetAfter: number } }>(
      'PUT',
      '/uploads',
      { quotaPeriodMs: 60_000 },
    );
    expect(period.body.settings).toMatchObject({ quotaPeriodMs: 60_000 });
    expect(period.body.quota.resetAfter).toBeGreaterThan(0);
    expect(period.body.quota.resetAfter).toBeLessThanOrEqual(60_000);
    expect((await control('PUT', '/uploads', { quotaPeriodMs: 0 })).status).toBe(400);
    expect((await control('PUT', '/uploads', { dailyQuota: 0 })).body).toEqual({
      error: 'field "dailyQuota" must be a positive integer, or null for no quota',
    });
    expect((await control('PUT', '/uploads', { blockSize: -1 })).status).toBe(400);
  });

  it('refuses upload_prepare with a prompt, small 400 naming blockSize when the plan would pass 10,000 parts', async () => {
    await control('PUT', '/uploads', { blockSize: 1 });
    const prepareOf = (fileSize: number) => post('/upload_prepare', placeholderPrepareBody(fileSize));
    const most = await prepareOf(10_000);
    expect(most.status).toBe(200);
    expect((most.body as unknown as PreparedUpload).parts).toHaveLength(10_000);

    for (const fileSize of [10_001, 100 * 1024 * 1024]) {
      const refused = await prepareOf(fileSize);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body).length).toBeLessThan(500);
      expect(refused.body).toMatchObject({
        message: `a file of ${fileSize} bytes in 1-byte blocks makes ${fileSize} parts, over the 10000 an upload may have: raise blockSize (PUT /__emulator/uploads or emulator.uploads.configure)`,
      });
    }
    // A refused plan does not count against the quota.
    expect((await control('GET', '/uploads')).body).toMatchObject({ quota: { used: 1 }, openUploads: 1 });
  });

  it('arms the upload faults by name: failUploadParts, delayUploadPartReady and failUploadCompletion; reset disarms them and keeps the measurements', async () => {
    expect((await control<{ faults: string[] }>('GET', '')).body.faults).toEqual(
      expect.arrayContaining(['failUploadParts', 'failUploadCompletion', 'delayUploadPartReady', 'reset']),
    );
    await control('PUT', '/uploads', { blockSize: 1000 });
    expect(
      (await control('POST', '/faults/failUploadParts', { index: 2, times: 1, status: 503 })).body,
    ).toEqual({});
    const prepared = await prepare();
    expect(await putPart(prepared, 1)).toBe(200);
    expect(await putPart(prepared, 2)).toBe(503);
    expect(await putPart(prepared, 2)).toBe(200);

    await control('POST', '/faults/delayUploadPartReady', { times: 1 });
    expect((await finish(prepared, 1)).body).toMatchObject({ code: 40093001 });
    expect((await finish(prepared, 1)).status).toBe(200);
    expect((await finish(prepared, 2)).status).toBe(200);

    await control('POST', '/faults/failUploadCompletion', { status: 504 });
    expect((await post('/files', { upload_id: prepared.upload_id })).status).toBe(504);
    expect(emu.uploads.openUploads).toBe(1); // not landed: the upload is still open

    await control('POST', '/faults/failUploadCompletion', { status: 504 });
    await control('POST', '/faults/delayUploadPartReady', { times: 3 });
    expect(emu.uploads.peakInFlightParts).toBe(1);
    expect((await control('POST', '/faults/reset')).status).toBe(200);
    expect(emu.uploads.peakInFlightParts).toBe(1); // a measurement, not a fault: kept
    expect((await post('/files', { upload_id: prepared.upload_id })).status).toBe(200);
  });

  it('holds at most 1,000 armed part and completion faults each, answering 400 past that until a reset', async () => {
    for (let armed = 0; armed < 1000; armed++) {
      emu.uploads.failParts({ index: armed + 1 });
      emu.uploads.failCompletion();
    }
    expect((await control('POST', '/faults/failUploadParts', {})).body).toEqual({
      error: '1000 part PUT faults are armed, the most at once: let some be used or reset the faults',
    });
    expect((await control('POST', '/faults/failUploadCompletion', {})).body).toEqual({
      error: '1000 completion faults are armed, the most at once: let some be used or reset the faults',
    });
    await control('POST', '/faults/reset');
    expect((await control('POST', '/faults/failUploadParts', {})).status).toBe(200);
  });

  it('answers a bad upload fault with 400 naming the field', async () => {
    expect((await control('POST', '/faults/failUploadParts', { status: 200 })).body).toEqual({
      error: 'status must be 400–599, got 200',
    });
    expect((await control('POST', '/faults/failUploadParts', { index: 0 })).body).toEqual({
      error: 'index must be a part number ≥ 1, got 0',
    });
    expect((await control('POST', '/faults/delayUploadPartReady', { times: 0 })).body).toEqual({
      error: 'times must be a positive integer, got 0',
    });
    expect((await control('POST', '/faults/failUploadCompletion', { landed: 'yes' })).body).toEqual({
      error: 'field "landed" must be a boolean',
    });
  });
});
