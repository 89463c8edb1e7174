import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookReceiver, WebhookRefusedError, type WebhookServer } from '@bot/gateway';
import type { Emulator, EmulatorRecord, WebhookRecord } from '@bot/testing';
import { startEmulator } from './support/emulator.js';
import { capturingLogger, silentLogger, useFakeClock } from './support/harness.js';
import { APP_ID, SECRET, nowSeconds, post, signedHeaders } from './webhookClient.js';

let emulator: Emulator | undefined;
let server: WebhookServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await emulator?.stop();
  await server?.close();
  emulator = undefined;
  server = undefined;
});

/** A refusal report as the receiver's `error` event carries it. */
type RefusalsReport = WebhookRefusedError & { count: number; periodMs: number; check: string };

/** Whether `error` is a refusal report (a `WebhookRefusalsError`). */
function isReport(error: unknown): error is RefusalsReport {
  return error instanceof WebhookRefusedError && error.name === 'WebhookRefusalsError';
}

const isWebhook = (record: EmulatorRecord): record is WebhookRecord => record.kind === 'webhook';

const DISPATCH = JSON.stringify({ op: 0, id: 'evt-1', t: 'C2C_MESSAGE_CREATE', d: { content: 'hi' } });

/** A receiver for {@link SECRET} on `/qq`, listening on 127.0.0.1, its reports collected. */
async function listening(
  options: { refusalReportIntervalMs?: number } = {},
): Promise<{ receiver: WebhookReceiver; reports: RefusalsReport[]; rejected: string[] }> {
  const receiver = new WebhookReceiver({
    secret: SECRET,
    appId: APP_ID,
    path: '/qq',
    logger: silentLogger(),
    ...options,
  });
  const reports: RefusalsReport[] = [];
  const rejected: string[] = [];
  receiver.on('error', (error) => {
    if (!isReport(error)) throw error;
    reports.push(error);
  });
  receiver.on('rejected', (_status, _reason, error) => rejected.push(error.code));
  receiver.on('dispatch', () => undefined);
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
  return { receiver, reports, rejected };
}

/** POSTs a delivery signed with a secret other than the receiver's. */
function forged(url: string): ReturnType<typeof post> {
  return post(url, DISPATCH, signedHeaders(DISPATCH, nowSeconds(), 'another-secret'));
}

describe('WebhookReceiver refusal reports, with the emulator', () => {
  it('reports deliveries signed with another AppSecret once at once, then their count, not once per delivery', async () => {
    emulator = await startEmulator({ webhook: { retryDelays: [] } });
    const receiver = new WebhookReceiver({
      secret: 'wrong-secret',
      appId: emulator.appId,
      path: '/qq',
      logger: silentLogger(),
    });
    const errors: Error[] = [];
    receiver.on('error', (error) => errors.push(error));
    receiver.on('dispatch', () => undefined);
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });

    await expect(emulator.webhook.setUrl(server.url)).rejects.toThrow(/answered HTTP 401/);
    expect(errors).toHaveLength(1);
    const first = errors[0];
    expect(isReport(first)).toBe(true);
    expect(first).toMatchObject({ code: 'badSignature', status: 401, count: 1, kind: 'gateway' });
    expect(first?.message).toMatch(/AppSecret/);
    expect(first?.message).not.toContain('wrong-secret');

    await emulator.webhook.setUrl(server.url, { validate: false });
    for (let i = 0; i < 5; i += 1) emulator.simulate.c2cMessage({ content: `lost ${i}` });
    const deliveries = await emulator.recorder.waitForCount(isWebhook, 5);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([401, 401, 401, 401, 401]);
    expect(errors).toHaveLength(1);

    // Closing the server reports what was still being counted, and leaves no timer behind.
    await server.close();
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatchObject({ code: 'badSignature', count: 5 });
    expect(errors[1]?.message).toMatch(/5 more/);
    expect(errors[1]?.message).toMatch(/AppSecret/);
  });
});

describe('WebhookReceiver refusal reports, rate limit', () => {
  it('reports the first refusal of a reason at once, then at most one count per interval, and forgets a quiet reason', async () => {
    useFakeClock();
    const { reports } = await listening({ refusalReportIntervalMs: 60_000 });
    const url = server!.url;

    for (let i = 0; i < 3; i += 1) expect((await forged(url)).status).toBe(401);
    expect(reports.map((report) => report.count)).toEqual([1]);
    expect(reports[0]?.periodMs).toBe(0);

    await vi.advanceTimersByTimeAsync(59_999);
    expect(reports).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({ code: 'badSignature', count: 2, periodMs: 60_000 });
    expect(reports[1]?.message).toMatch(/2 more .* in the last 60 s/);

    // A whole interval without one: nothing to say, and the reason is forgotten.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reports).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    expect((await forged(url)).status).toBe(401);
    expect(reports).toHaveLength(3);
    expect(reports[2]).toMatchObject({ code: 'badSignature', count: 1 });
  });

  it('counts each reason on its own and names what to check for each', async () => {
    useFakeClock();
    const { reports } = await listening();
    const url = server!.url;
    const stale = String(Math.floor(Date.now() / 1000) - 3600);

    await forged(url);
    await post(url, DISPATCH, signedHeaders(DISPATCH, stale));
    await post(url, DISPATCH, signedHeaders(DISPATCH, stale));
    await post(`${url}/`, DISPATCH, signedHeaders(DISPATCH));
    await post(url, DISPATCH, { ...signedHeaders(DISPATCH), 'X-Bot-Appid': '22222222' });
    const big = JSON.stringify({ op: 0, t: 'C2C_MESSAGE_CREATE', d: { content: 'x'.repeat(2_000_000) } });
    await post(url, big, signedHeaders(big)).catch(() => undefined); // the answer may cut the upload short
    await post(url, '{"op":0,', signedHeaders('{"op":0,'));

    expect(reports.map((report) => report.code)).toEqual([
      'badSignature',
      'staleTimestamp',
      'unknownPath',
      'wrongAppId',
      'bodyTooLarge',
      'malformedDelivery',
    ]);
    const checks = new Map(reports.map((report) => [report.code, report.check]));
    expect(checks.get('badSignature')).toMatch(/AppSecret/);
    expect(checks.get('staleTimestamp')).toMatch(/clock/);
    expect(checks.get('unknownPath')).toMatch(/'\/qq'/);
    expect(checks.get('wrongAppId')).toMatch(/app id/);
    expect(checks.get('bodyTooLarge')).toMatch(/maxBodyBytes/);

    await server!.close();
    expect(reports.slice(6).map((report) => [report.code, report.count])).toEqual([['staleTimestamp', 1]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not report what scanners and stray clients send: other methods, other paths and unsigned requests', async () => {
    useFakeClock();
    const { reports, rejected } = await listening();
    const url = server!.url;
    const origin = new URL(url).origin;

    await fetch(`${origin}/qq`);
    await post(`${origin}/wp-login.php`, 'user=admin', { 'Content-Type': 'text/plain' });
    await post(url, DISPATCH, { 'Content-Type': 'application/json' });
    await post(url, 'not json', { 'Content-Type': 'application/json' });

    expect(rejected).toEqual(['methodNotAllowed', 'unknownPath', 'missingSignature', 'malformedDelivery']);
    expect(reports).toEqual([]);
  });

  it('logs the reports as warnings when nothing listens to error', async () => {
    useFakeClock();
    const { logger, lines } = capturingLogger();
    const receiver = new WebhookReceiver({ secret: SECRET, path: '/qq', logger });
    server = await receiver.listen({ port: 0, host: '127.0.0.1' });

    for (let i = 0; i < 4; i += 1) await forged(server.url);
    await vi.advanceTimersByTimeAsync(60_000);

    const warnings = lines.filter((line) => line.startsWith('WARN'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/badSignature.*AppSecret/);
    expect(warnings[1]).toMatch(/3 more/);
  });

  it('refuses a report interval that is not a positive whole number of ms', () => {
    for (const refusalReportIntervalMs of [0, -1, 1.5, Number.NaN])
      expect(() => new WebhookReceiver({ secret: SECRET, refusalReportIntervalMs })).toThrow(
        /refusalReportIntervalMs/,
      );
  });
});
