import type { IncomingMessage } from 'node:http';

/** The raw body, or why it could not be read. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 400 | 413; reason: string };

/**
 * Reads a request body into one buffer, refusing it as soon as it outgrows `maxBytes` (by its
 * `Content-Length` before reading, or by counting while reading), so an oversized or endless
 * upload never fills memory. Never rejects.
 *
 * @param request - the incoming request
 * @param maxBytes - the largest body accepted
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return Promise.resolve({
      ok: false,
      status: 413,
      reason: `body of ${declared} bytes exceeds ${maxBytes}`,
    });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        request.resume(); // discard the rest
        finish({ ok: false, status: 413, reason: `body exceeds ${maxBytes} bytes` });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = (): void =>
      finish({ ok: false, status: 400, reason: 'request aborted while reading the body' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onError);
  });
}
