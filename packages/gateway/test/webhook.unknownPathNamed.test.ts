/**
 * A request for a path the receiver does not serve is refused 404 naming the path it came for
 * (cut short and escaped, as anyone chooses it), and its report points at the usual cause behind a
 * reverse proxy: a prefix it did not strip, or a trailing slash it added.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookRefusedError, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, post, RawClient, SECRET, signedHeaders } from './webhookClient.js';

const EVENT = JSON.stringify({ op: 0, id: 'evt-1', t: 'C2C_MESSAGE_CREATE', d: { content: 'hi' } });

let server: WebhookServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A receiver on `/qq` listening on 127.0.0.1, with what it refused and reported. */
async function listening(): Promise<{
  rejected: WebhookRefusedError[];
  reports: (WebhookRefusedError & { check: string })[];
}> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
  });
  const rejected: WebhookRefusedError[] = [];
  const reports: (WebhookRefusedError & { check: string })[] = [];
  receiver.on('rejected', (_status, _reason, error) => rejected.push(error));
  receiver.on('error', (error) => reports.push(error as WebhookRefusedError & { check: string }));
  receiver.on('dispatch', () => undefined);
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  return { rejected, reports };
}

/** The origin of the server listening. */
function origin(): string {
  return new URL(server!.url).origin;
}

describe('WebhookReceiver, a request for another path', () => {
  it.each([
    ['a prefix the proxy did not strip', '/bot/qq'],
    ['a trailing slash the proxy added', '/qq/'],
  ])('names the path received (%s) and the proxy as a likely cause', async (_case, path) => {
    const { rejected, reports } = await listening();
    const answer = await post(`${origin()}${path}`, EVENT, signedHeaders(EVENT));

    expect(answer.status).toBe(404);
    const detail = (JSON.parse(answer.body) as { error: string }).error;
    expect(detail).toContain(JSON.stringify(path));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ code: 'unknownPath', status: 404 });
    expect(rejected[0]!.message).toContain(JSON.stringify(path));
    // Signed: it may be the platform's through a proxy; the report says what to look at.
    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect(report.message).toContain(JSON.stringify(path));
    expect(report.check).toContain("'/qq'");
    expect(report.check).toMatch(/prefix/);
    expect(report.check).toMatch(/trailing slash/);
  });

  it('does not tell a stranger which path it serves', async () => {
    await listening();
    const answer = await post(`${origin()}/`, EVENT, signedHeaders(EVENT));
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('qq');
  });

  it('cuts a long path short and escapes what it quotes', async () => {
    const { rejected } = await listening();
    const client = await RawClient.open(server!.server);
    // Node's parser passes a double quote and bytes above ASCII in a target as they came.
    const path = `/"${'a'.repeat(5_000)}`;
    client.writeHead(path, { ...signedHeaders(EVENT), 'Content-Length': Buffer.byteLength(EVENT) });
    client.socket.write(EVENT);
    const answer = await client.nextAnswer();
    expect(answer.status).toBe(404);
    // The raw client reads bytes as latin1; the answer is UTF-8.
    const text = Buffer.from(answer.body, 'latin1').toString('utf8');
    const detail = (JSON.parse(text) as { error: string }).error;
    expect(detail.length).toBeLessThan(300);
    expect(detail).toContain('"/\\"aaaa');
    expect(detail).toContain('…');
    expect(rejected[0]!.detail).toBe(detail);
    await client.closed;
  });
});
