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

/** What {@link readBody} hands over, exactly once: the whole body, or why reading stopped. */
export type BodyOutcome = Buffer | WebhookRefusedError;

/**
 * Reads a request body into one buffer, within `limits`: a `Content-Length` over the cap or over
 * what the budget has left is refused before a byte is read; a body without one is counted and
 * charged to the budget as it arrives and cut off at the cap; a body still incomplete after the
 * timeout is refused. On refusal, reading stops at once (the caller answers and closes the
 * connection) and everything taken from the budget is given back.
 *
 * A callback rather than a promise: the receiver answers in the same turn the body ends, without
 * the microtasks an `await` chain costs every delivery.
 *
 * @param request - the request, body not yet read
 * @param limits - cap, shared budget, deadline
 * @param done - called once, possibly before `readBody` returns: with the body (its length stays
 *   taken from the budget until the caller gives it back), or with a {@link WebhookRefusedError}
 *   `bodyTooLarge` (or `limits.tooLarge`), `overloaded`, `bodyTimeout` or `aborted`
 */
export function readBody(
  request: IncomingMessage,
  limits: BodyLimits,
  done: (outcome: BodyOutcome) => void,
): void {
  const { maxBytes, budget } = limits;
  const header = request.headers['content-length'];
  const declared = header === undefined ? undefined : Number(header);
  if (declared !== undefined) {
    if (declared > maxBytes) return done(limits.tooLarge(`body of ${declared} bytes exceeds ${maxBytes}`));
    if (!budget.take(declared)) return done(overloaded(limits));
  }
  const reader = new BodyReader(request, limits, declared, done);
  // Every listener is an arrow passed straight in, never one held in a named const: the bundle
  // keeps function names (esbuild keepNames), which costs a named closure an
  // Object.defineProperty each time it is made, here once per request (~14 µs a delivery in the
  // webhook benchmark, 7 % of its CPU). Listeners stay until the request is let go; once the
  // reader has settled they do nothing.
  request.on('data', (chunk: Buffer) => reader.add(chunk));
  request.on('end', () => reader.finish());
  request.on('error', () => reader.abort());
  request.on('close', () => reader.abort());
}

/** One body being read: its chunks, its share of the budget, its deadline, and whether it is settled. */
class BodyReader {
  /** The first chunk; a body usually arrives in one, which is then handed over without copying. */
  #first: Buffer | undefined;
  /** Every chunk, once there is more than one. */
  #chunks: Buffer[] | undefined;
  #size = 0;
  /** Bytes taken from the budget: the declared length at once, or each chunk as it arrives. */
  #taken: number;
  #settled = false;
  readonly #timer: NodeJS.Timeout;

  public constructor(
    private readonly request: IncomingMessage,
    private readonly limits: BodyLimits,
    private readonly declared: number | undefined,
    private readonly done: (outcome: BodyOutcome) => void,
  ) {
    this.#taken = declared ?? 0;
    this.#timer = setTimeout(
      () =>
        this.#refuse(new WebhookRefusedError('bodyTimeout', `body incomplete after ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
  }

  /** A chunk arrived: counted against the cap and, without a declared length, charged to the budget. */
  public add(chunk: Buffer): void {
    if (this.#settled) return;
    const { maxBytes, budget } = this.limits;
    this.#size += chunk.length;
    if (this.#size > maxBytes) {
      this.#refuse(this.limits.tooLarge(`body exceeds ${maxBytes} bytes`));
      return;
    }
    if (this.declared === undefined) {
      if (!budget.take(chunk.length)) {
        this.#refuse(overloaded(this.limits));
        return;
      }
      this.#taken += chunk.length;
    }
    if (this.#first === undefined) this.#first = chunk;
    else (this.#chunks ??= [this.#first]).push(chunk);
  }

  /** The body is complete. */
  public finish(): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    const body =
      this.#chunks !== undefined ? Buffer.concat(this.#chunks, this.#size) : (this.#first ?? Buffer.alloc(0));
    this.done(body);
  }

  /** The request ended before its body did (an error or a close); after `finish`, nothing. */
  public abort(): void {
    if (this.#settled) return; // the usual case: 'close' follows 'end'
    this.#refuse(new WebhookRefusedError('aborted', 'the client hung up before the body was complete'));
  }

  #refuse(refusal: WebhookRefusedError): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.request.pause();
    this.limits.budget.give(this.#taken);
    this.done(refusal);
  }
}

/** The budget is spent; bodies hold their share no longer than their timeout, so that is the wait to suggest. */
function overloaded({ budget, timeoutMs }: BodyLimits): WebhookRefusedError {
  return new WebhookRefusedError(
    'overloaded',
    `bodies in progress already hold ${budget.used} of ${budget.capacity} bytes`,
    { retryAfterSeconds: Math.ceil(timeoutMs / 1000) },
  );
}
