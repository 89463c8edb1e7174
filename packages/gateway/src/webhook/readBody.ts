import type { IncomingMessage } from 'node:http';
import type { ByteBudget } from './ByteBudget.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/** What one body may cost. */
export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Shared by every request of the receiver; the body's bytes are taken from it before they are kept. */
  budget: ByteBudget;
  /** How long the whole body may take to arrive, in ms. */
  timeoutMs: number;
  /** The refusal for a body over `maxBytes`; `detail` says by how much. */
  tooLarge: (detail: string) => WebhookRefusedError;
}

/**
 * Reads a request body into one buffer, within `limits`: a `Content-Length` over the cap or over
 * what the budget has left is refused before a byte is read; a body without one is counted and
 * charged to the budget as it arrives and cut off at the cap; a body still incomplete after the
 * timeout is refused. On refusal, reading stops at once (the caller answers and closes the
 * connection) and everything taken from the budget is given back.
 *
 * @param request - the request, body not yet read
 * @param limits - cap, shared budget, deadline
 * @returns the body; its length stays taken from the budget until the caller gives it back
 * @throws {@link WebhookRefusedError} `bodyTooLarge` (or `limits.tooLarge`), `overloaded`,
 *   `bodyTimeout` or `aborted`
 */
export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes, budget } = limits;
  const header = request.headers['content-length'];
  const declared = header === undefined ? undefined : Number(header);
  if (declared !== undefined) {
    if (declared > maxBytes)
      return Promise.reject(limits.tooLarge(`body of ${declared} bytes exceeds ${maxBytes}`));
    if (!budget.take(declared)) return Promise.reject(overloaded(limits));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let taken = declared ?? 0;
    const stop = (): void => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAbort);
      request.off('close', onAbort);
    };
    const refuse = (refusal: WebhookRefusedError): void => {
      stop();
      request.pause();
      budget.give(taken);
      reject(refusal);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        refuse(limits.tooLarge(`body exceeds ${maxBytes} bytes`));
        return;
      }
      if (declared === undefined) {
        if (!budget.take(chunk.length)) {
          refuse(overloaded(limits));
          return;
        }
        taken += chunk.length;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      // Usually the whole body came in one chunk: hand it over without copying.
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onAbort = (): void =>
      refuse(new WebhookRefusedError('aborted', 'the client hung up before the body was complete'));
    const timer = setTimeout(
      () => refuse(new WebhookRefusedError('bodyTimeout', `body incomplete after ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAbort);
    request.on('close', onAbort);
  });
}

/** The budget is spent; bodies hold their share no longer than their timeout, so that is the wait to suggest. */
function overloaded({ budget, timeoutMs }: BodyLimits): WebhookRefusedError {
  return new WebhookRefusedError(
    'overloaded',
    `bodies in progress already hold ${budget.used} of ${budget.capacity} bytes`,
    { retryAfterSeconds: Math.ceil(timeoutMs / 1000) },
  );
}
