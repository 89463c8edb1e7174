import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookReceiver, WebhookRefusedError, type WebhookServer } from '@bot/gateway';
import { silentLogger, useFakeClock } from './support/harness.js';
import { APP_ID, SECRET, nowSeconds, post, RawClient, signedHeaders } from './webhookClient.js';

let server: WebhookServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/** A refusal report as the receiver's `error` event carries it. */
type RefusalsReport = WebhookRefusedError & { count: number; periodMs: number; check: string };

function isReport(error: unknown): error is RefusalsReport {
  return error instanceof WebhookRefusedError && error.name === 'WebhookRefusalsError';
}

const DISPATCH = JSON.stringify({ op: 0, id: 'evt-1', t: 'C2C_MESSAGE_CREATE', d: { content: 'hi' } });
/** 64 bytes in hex: the form of a signature, made without the secret. */
const FAKE_SIGNATURE = 'ab'.repeat(64);

/** One event of the receiver, in the order it came. */
type Seen = { event: 'rejected' | 'error' | 'debug'; code?: string; text: string; report?: RefusalsReport };

/** A receiver for {@link SECRET} on `/qq` with app id {@link APP_ID}, everything it emits recorded. */
async function listening(
  options: { busy?: () => boolean; refusalReportIntervalMs?: number } = {},
): Promise<{ reports: RefusalsReport[]; seen: Seen[]; url: string; origin: string }> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
    ...options,
  });
  const reports: RefusalsReport[] = [];
  const seen: Seen[] = [];
  receiver.on('error', (error) => {
    if (!isReport(error)) throw error;
    reports.push(error);
    seen.push({ event: 'error', code: error.code, text: error.message, report: error });
  });
  receiver.on('rejected', (_status, reason, error) =>
    seen.push({ event: 'rejected', code: error.code, text: reason }),
  );
  receiver.on('debug', (message) => seen.push({ event: 'debug', text: message }));
  receiver.on('dispatch', () => undefined);
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  return { reports, seen, url: server.url, origin: new URL(server.url).origin };
}

/**
 * The requests anyone who knows the callback URL can send without the secret, one for each reason
 * that used to be reported on `error`, with the reason each is refused for.
 */
async function sendUnauthenticated(url: string, origin: string): Promise<string[]> {
  const fresh = nowSeconds();
  const answers: string[] = [];
  const send = async (target: string, body: string, headers: Record<string, string>): Promise<void> => {
    answers.push(String((await post(target, body, headers)).status));
  };
  // Both headers in form, a fresh timestamp, no X-Bot-Appid: reaches the signature check.
  await send(url, DISPATCH, { 'X-Signature-Ed25519': FAKE_SIGNATURE, 'X-Signature-Timestamp': fresh });
  await send(url, DISPATCH, { 'X-Signature-Ed25519': FAKE_SIGNATURE, 'X-Signature-Timestamp': '1' });
  await send(url, DISPATCH, { 'X-Bot-Appid': '99999999' });
  await send(`${origin}/wp-admin`, DISPATCH, { 'X-Signature-Timestamp': 'junk' });
  await send(url, DISPATCH, { 'X-Bot-Appid': APP_ID });
  await send(url, DISPATCH, { 'X-Signature-Timestamp': fresh });
  // A declared length far past maxBodyBytes, with made-up signature headers: refused from the head.
  const raw = await RawClient.open(server!.server);
  raw.writeHead('/qq', {
    'Content-Type': 'application/json',
    'Content-Length': 999_999_999,
    'X-Signature-Ed25519': FAKE_SIGNATURE,
    'X-Signature-Timestamp': fresh,
  });
  answers.push(String((await raw.nextAnswer()).status));
  await raw.closed;
  return answers;
}

const UNAUTHENTICATED_CODES = [
  'badSignature',
  'staleTimestamp',
  'wrongAppId',
  'unknownPath',
  'missingSignature',
  'malformedSignature',
  'bodyTooLarge',
];

describe('WebhookReceiver refusal reports of requests nothing verified', () => {
  it('while deliveries verify, refusals anyone can cause without the secret go to rejected and debug, not to error', async () => {
    useFakeClock();
    const { reports, seen, url, origin } = await listening({ refusalReportIntervalMs: 60_000 });
    expect((await post(url, DISPATCH, signedHeaders(DISPATCH))).status).toBe(200);
    await vi.advanceTimersByTimeAsync(59_000);

    expect(await sendUnauthenticated(url, origin)).toEqual(['401', '401', '401', '404', '401', '401', '413']);
    const rejected = seen.filter(({ event }) => event === 'rejected').map(({ code }) => code);
    expect(rejected).toEqual(UNAUTHENTICATED_CODES);
    // Only the oversized body is still reported: a verified delivery says nothing of its size.
    expect(reports.map((report) => report.code)).toEqual(['bodyTooLarge']);
    const notReported = seen.filter(({ event, text }) => event === 'debug' && /not reported/.test(text));
    expect(notReported).toHaveLength(6);
    expect(notReported[0]?.text).toMatch(/verified 59 s ago/);
  });

  it('once no delivery verified within the interval, they are reported again, saying nothing was verified', async () => {
    useFakeClock();
    const { reports, url, origin } = await listening({ refusalReportIntervalMs: 60_000 });
    expect((await post(url, DISPATCH, signedHeaders(DISPATCH))).status).toBe(200);
    await vi.advanceTimersByTimeAsync(60_001);

    await sendUnauthenticated(url, origin);
    expect(reports.map((report) => report.code)).toEqual(UNAUTHENTICATED_CODES);
    const checks = new Map(reports.map((report) => [report.code, report.check]));
    for (const report of reports) expect(report.message).not.toMatch(/\bsigned (delivery|body)/);
    expect(checks.get('unknownPath')).toMatch(/carrying signature headers \(not verified\)/);
    expect(checks.get('staleTimestamp')).toMatch(/not verified/);
    expect(checks.get('bodyTooLarge')).toMatch(/not verified/);
    expect(checks.get('bodyTooLarge')).toMatch(/the platform's or anyone's/);
    expect(checks.get('bodyTooLarge')).not.toMatch(/if the platform sends events this large, raise it/);
  });
});

describe('WebhookReceiver refusal reports of internal failures and unreadable deliveries', () => {
  it('reports each distinct internal failure, up to 8 per reason, then counts the rest together', async () => {
    useFakeClock();
    let failure = 0;
    const { reports, url } = await listening({
      busy: () => {
        throw new Error(`busy failure ${failure}`);
      },
    });
    for (failure = 0; failure < 10; failure += 1) await post(url, DISPATCH, signedHeaders(DISPATCH));
    await post(url, DISPATCH, signedHeaders(DISPATCH)); // failure 10: counted with the overflow

    expect(reports.map((report) => [report.code, report.detail])).toEqual([
      ...Array.from({ length: 8 }, (_, i) => ['internal', `busy failure ${i}`]),
      ['internal', 'busy failure 8'],
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reports.slice(9).map((report) => [report.code, report.detail, report.count])).toEqual([
      ['internal', 'busy failure 10', 2],
    ]);
  });

  it('reports two different problems of verified deliveries, neither hiding the other', async () => {
    useFakeClock();
    const { reports, url } = await listening();
    for (const body of ['{"op":0,', '[]', '{"op":0,'])
      expect((await post(url, body, signedHeaders(body))).status).toBe(400);
    expect(reports.map((report) => report.code)).toEqual(['malformedDelivery', 'malformedDelivery']);
    expect(reports[0]?.detail).not.toBe(reports[1]?.detail);
    await server!.close();
    expect(reports.slice(2).map((report) => [report.detail, report.count])).toEqual([
      [reports[0]?.detail, 1],
    ]);
  });

  it('announces an unreadable verified delivery on rejected before reporting it on error, as every other reason', async () => {
    useFakeClock();
    const { seen, url } = await listening();
    await post(url, '{"op":0,', signedHeaders('{"op":0,'));
    await post(url, DISPATCH, signedHeaders(DISPATCH, nowSeconds(), 'another-secret'));
    expect(
      seen.filter(({ event }) => event !== 'debug').map(({ event, code }) => `${event} ${code}`),
    ).toEqual([
      'rejected malformedDelivery',
      'error malformedDelivery',
      'rejected badSignature',
      // A delivery that verified, even one that cannot be read, proves the secret right.
    ]);
  });

  it('reports one signature header alone and an app id without signature headers', async () => {
    useFakeClock();
    const { reports, url } = await listening();
    await post(url, DISPATCH, { 'X-Signature-Ed25519': FAKE_SIGNATURE, 'X-Bot-Appid': APP_ID });
    await post(url, DISPATCH, { 'X-Bot-Appid': APP_ID });
    expect(reports.map((report) => report.code)).toEqual(['malformedSignature', 'missingSignature']);
    expect(reports[0]?.check).toMatch(/rewrites X-Signature-Ed25519/);
    expect(reports[1]?.check).toMatch(/drops X-Signature-Ed25519/);
  });
});
