import { describe, expect, it } from 'vitest';
import { MediaFileType, OpenMessageParams, PendingAudit, Routes } from '@bot/http';
import { channelFeatureRows } from './endpoints/channelFeatureRows.js';
import { guildRows } from './endpoints/guildRows.js';
import { messageRows } from './endpoints/messageRows.js';
import { panelRows } from './endpoints/panelRows.js';
import { streamRows } from './endpoints/streamRows.js';
import type { EndpointRow } from './support/endpointTable.js';
import { useFakeApi } from './support/fakeApi.js';
import { openResult, upload } from './support/samples.js';

const families: [string, EndpointRow[]][] = [
  ['guild administration', guildRows],
  ['messages', messageRows],
  ['channel features', channelFeatureRows],
  ['command panels', panelRows],
  ['streamed replies', streamRows],
];

describe('BotApi endpoints on the wire', () => {
  const fake = useFakeApi();

  describe.each(families)('%s', (_family, rows) => {
    it.each(rows.map((row) => [row.title, row] as const))('%s', async (_title, row) => {
      const { platform } = fake;
      platform.handler = () =>
        row.reply === undefined
          ? { status: row.status ?? 204 }
          : { status: row.status ?? 200, body: row.reply };

      const result = await row.call(fake.api);

      expect(platform.requests).toHaveLength(1);
      const [request] = platform.requests;
      if (request === undefined) throw new Error('no request recorded');
      expect(request.method).toBe(row.method);
      expect(request.path).toBe(row.path);
      expect(Object.fromEntries(request.query)).toEqual(row.query ?? {});
      expect(request.headers['authorization']).toBe(`QQBot ${fake.accessToken}`);
      expect(request.headers['x-union-appid']).toBe(fake.appId);
      for (const [name, value] of Object.entries(row.headers ?? {}))
        expect(request.headers[name]).toBe(value);

      if (row.form) {
        expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
        const form = await new Response(new Uint8Array(request.body), {
          headers: { 'content-type': String(request.headers['content-type']) },
        }).formData();
        for (const [name, value] of Object.entries(row.form.fields)) expect(form.get(name)).toBe(value);
        for (const [name, expected] of Object.entries(row.form.files)) {
          const part = form.get(name);
          expect(part).toBeInstanceOf(Blob);
          const file = part as File;
          expect(file.name).toBe(expected.name);
          expect(file.type).toBe(expected.type);
          expect([...new Uint8Array(await file.arrayBuffer())]).toEqual(expected.bytes);
        }
        const names = [...new Set(form.keys())].sort();
        expect(names).toEqual([...Object.keys(row.form.fields), ...Object.keys(row.form.files)].sort());
      } else if (row.body === undefined) {
        expect(request.body).toHaveLength(0);
      } else {
        expect(request.headers['content-type']).toMatch(/^application\/json/);
        expect(request.json).toStrictEqual(row.body);
      }

      expect(result).toEqual(row.result ?? row.reply);
    });
  });

  it('has a row for every route template', () => {
    const rows = families.flatMap(([, familyRows]) => familyRows);
    const missing = Object.values(Routes).filter((template) => {
      const pattern = new RegExp(`^${template.replace(/\{[a-z_]+\}/g, '[^/]+')}$`);
      return !rows.some((row) => pattern.test(row.path));
    });
    expect(missing).toEqual([]);
  });

  it('resolves a held message to a PendingAudit instance', async () => {
    fake.platform.handler = () => ({
      status: 201,
      body: {
        code: 304024,
        message: 'reply is waiting for audit',
        data: { message_audit: { audit_id: 'a2' } },
      },
    });
    const result = await fake.api.groups.send('G1', OpenMessageParams.text('hi').withReply('gm1'));
    expect(result).toBeInstanceOf(PendingAudit);
  });

  it('sendMedia uploads without sending, then replies with the file_info', async () => {
    const { platform } = fake;
    platform.handler = (request) =>
      request.path.endsWith('/files') ? { status: 200, body: upload } : { status: 200, body: openResult };

    const result = await fake.api.c2c.sendMedia(
      'U1',
      { file_type: MediaFileType.Image, url: 'https://example.test/i.png' },
      { msg_id: 'um0', msg_seq: 3 },
    );

    expect(result).toEqual(openResult);
    expect(platform.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v2/users/U1/files',
      'POST /v2/users/U1/messages',
    ]);
    const [uploadRequest, sendRequest] = platform.requests;
    if (uploadRequest === undefined || sendRequest === undefined) throw new Error('requests missing');
    expect(uploadRequest.json).toStrictEqual({
      file_type: 1,
      url: 'https://example.test/i.png',
      srv_send_msg: false,
    });
    expect(sendRequest.json).toStrictEqual({
      msg_id: 'um0',
      msg_seq: 3,
      msg_type: 7,
      media: { file_info: 'fi1' },
      content: ' ',
    });
  });
});
