/**
 * A storage host's error answer is quoted in the part's failure (and so in the MediaUploadError
 * and the log) as the platform's texts are elsewhere: control characters, line breaks and ANSI
 * escapes written as escapes, so the answer cannot forge a log line or recolour a terminal, and
 * only its start, however long it is.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PartPutFailure, putPart } from '../src/media/putPart.js';

/** Any character a quoted text must not carry raw (see platformText). */
const RAW_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A storage host answering every PUT with `status` and `body`; returns the part URL. */
async function storageAnswering(status: number, body: string): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/part`;
}

async function failureOf(url: string): Promise<PartPutFailure> {
  const failure = await putPart(url, Buffer.alloc(100), 100, 10_000, new AbortController().signal).catch(
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(PartPutFailure);
  return failure as PartPutFailure;
}

describe('a storage host error answer in the part failure', () => {
  it('writes control characters, line breaks and ANSI escapes as escapes', async () => {
    const body = 'AccessDenied\u001b[31m red\r\n2026-01-01 INFO forged line\u2028\tend\u0000';
    const failure = await failureOf(await storageAnswering(403, body));
    expect(failure).toMatchObject({ status: 403, retryable: false });
    expect(failure.message).toBe(
      'the storage host answered 403 (AccessDenied\\u001b[31m red\\r\\n2026-01-01 INFO forged line\\u2028\\tend\\u0000)',
    );
    expect(failure.message).not.toMatch(RAW_UNSAFE);
  });

  it('quotes only the start of a long answer, escaped, and says how much was left out', async () => {
    const body = `${'\u001b[2J'.repeat(10)}${'line\n'.repeat(2_000)}`;
    const failure = await failureOf(await storageAnswering(500, body));
    expect(failure).toMatchObject({ status: 500, retryable: true });
    expect(failure.message).not.toMatch(RAW_UNSAFE);
    expect(failure.message).toMatch(/^the storage host answered 500 \(\\u001b\[2J\\u001b\[2J/);
    expect(failure.message).toMatch(/… \(\d+ more characters\)\)$/);
    expect(failure.message.length).toBeLessThanOrEqual('the storage host answered 500 ()'.length + 200);
    // At most 4 KiB of the answer is read: what was left out is counted in that, not in the 10 KB sent.
    const leftOut = Number(/\((\d+) more characters\)/.exec(failure.message)?.[1]);
    expect(leftOut).toBeLessThan(4 * 1024);
  });
});
