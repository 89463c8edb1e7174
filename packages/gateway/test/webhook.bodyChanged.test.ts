/**
 * A body changed between the platform and the receiver (a reverse proxy re-encoding its JSON, or
 * compressing it) no longer verifies. The refusal must name that cause beside a wrong AppSecret,
 * and a body with a `Content-Encoding` is refused as such (415) from its head, unread: the
 * platform sends plain bodies, so a coding means something in between changed it.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, WebhookRefusedError, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, post, RawClient, SECRET, signedHeaders } from './webhookClient.js';

const EVENT = JSON.stringify({ op: 0, id: 'evt-1', t: 'C2C_MESSAGE_CREATE', d: { content: 'hi' } });

let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A receiver on `/qq` listening on 127.0.0.1, with what it refused, reported and emitted. */
async function listening(): Promise<{
  rejected: WebhookRefusedError[];
  reports: (WebhookRefusedError & { check: string })[];
  dispatched: unknown[];
}> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
  });
  const rejected: WebhookRefusedError[] = [];
  const reports: (WebhookRefusedError & { check: string })[] = [];
  const dispatched: unknown[] = [];
  receiver.on('rejected', (_status, _reason, error) => rejected.push(error));
  receiver.on('error', (error) => reports.push(error as WebhookRefusedError & { check: string }));
  receiver.on('dispatch', (payload) => dispatched.push(payload.id));
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  return { rejected, reports, dispatched };
}

describe('WebhookReceiver, a body changed on its way', () => {
  it('refuses a re-encoded body as badSignature naming both a wrong AppSecret and a body a proxy changed', async () => {
    const { rejected, reports, dispatched } = await listening();
    // What a proxy that parses and re-serialises JSON sends on: the same event, other bytes.
    const reencoded = JSON.stringify(JSON.parse(EVENT), null, 1);
    const answer = await post(server!.url, reencoded, signedHeaders(EVENT));

    expect(answer.status).toBe(401);
    expect(dispatched).toEqual([]);
    expect(rejected.map((error) => error.code)).toEqual(['badSignature']);
    // The refusal itself, as a proxy's log or a `rejected` listener sees it, names both causes.
    const detail = (JSON.parse(answer.body) as { error: string }).error;
    for (const text of [detail, rejected[0]!.message]) {
      expect(text).toMatch(/AppSecret/);
      expect(text).toMatch(/proxy/);
    }
    // So does the report on `error`, with what to check of each.
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ code: 'badSignature' });
    expect(reports[0]!.check).toMatch(/AppSecret/);
    expect(reports[0]!.check).toMatch(/re-encod/);
    expect(reports[0]!.check).toMatch(/compress/);
    expect(reports[0]!.check).toMatch(/unchanged/);
  });

  it('refuses a gzip-compressed delivery with 415 unsupportedEncoding, saying the proxy must pass the body unchanged', async () => {
    const { rejected, reports, dispatched } = await listening();
    const answer = await post(server!.url, gzipSync(EVENT), {
      ...signedHeaders(EVENT),
      'Content-Encoding': 'gzip',
    });

    expect(answer.status).toBe(415);
    // RFC 7694: a 415 for a content coding says which codings are accepted.
    expect(answer.headers['accept-encoding']).toBe('identity');
    expect(dispatched).toEqual([]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(WebhookRefusedError);
    expect(rejected[0]).toMatchObject({ code: 'unsupportedEncoding', status: 415 });
    const detail = (JSON.parse(answer.body) as { error: string }).error;
    expect(detail).toContain('"gzip"');
    expect(detail).toMatch(/unchanged/);
    // Signature headers came with it: it may be the platform's, through a proxy that compresses.
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ code: 'unsupportedEncoding', status: 415 });
    expect(reports[0]!.check).toMatch(/proxy/);
    expect(reports[0]!.check).toMatch(/unchanged/);
  });

  it('refuses a plain body that claims Content-Encoding: gzip (it was acknowledged before)', async () => {
    const { rejected, dispatched } = await listening();
    const answer = await post(server!.url, EVENT, { ...signedHeaders(EVENT), 'Content-Encoding': 'gzip' });
    expect(answer.status).toBe(415);
    expect(rejected.map((error) => error.code)).toEqual(['unsupportedEncoding']);
    expect(dispatched).toEqual([]);
  });

  it('does not report a coded body after a delivery verified lately: nothing in front compresses them', async () => {
    const { rejected, reports } = await listening();
    expect((await post(server!.url, EVENT, signedHeaders(EVENT))).status).toBe(200);
    const answer = await post(server!.url, gzipSync(EVENT), {
      ...signedHeaders(EVENT),
      'Content-Encoding': 'gzip',
    });
    expect(answer.status).toBe(415);
    expect(rejected.map((error) => error.code)).toEqual(['unsupportedEncoding']);
    expect(reports).toEqual([]);
  });

  it.each([['identity'], ['Identity'], ['']])(
    'acknowledges a delivery with Content-Encoding %j',
    async (coding) => {
      const { rejected, dispatched } = await listening();
      const answer = await post(server!.url, EVENT, { ...signedHeaders(EVENT), 'Content-Encoding': coding });
      expect(answer.status).toBe(200);
      expect(rejected).toEqual([]);
      expect(dispatched).toEqual(['evt-1']);
    },
  );

  it.each([['br'], ['identity, gzip'], ['deflate']])(
    'refuses Content-Encoding %j from the head, before a byte of the body is sent',
    async (coding) => {
      const { rejected } = await listening();
      const client = await RawClient.open(server!.server);
      // The head alone: a receiver that waited for the body would never answer.
      client.writeHead('/qq', { ...signedHeaders(EVENT), 'Content-Encoding': coding, 'Content-Length': 100 });
      const answer = await client.nextAnswer();
      expect(answer.status).toBe(415);
      expect(rejected.map((error) => error.code)).toEqual(['unsupportedEncoding']);
      await client.closed;
    },
  );
});
