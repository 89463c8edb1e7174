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

/** The refusal's detail for a body something else read first. */
const BODY_ALREADY_READ =
  "the request body was already read before the receiver got it: mount the receiver's handler before any body parser (the signature covers the raw bytes)";

/** A `Content-Length` as HTTP writes it: decimal digits only. */
const DECIMAL_DIGITS = /^\d+$/;

/**
 * Reads a request body into one buffer, within `limits`: a `Content-Length` that is not a byte
 * count, or over the cap or over what the budget has left, is refused before a byte is read; a
 * body without one is counted and charged to the budget as it arrives and cut off at the cap; a
 * body still incomplete after the timeout is refused. On refusal, reading stops at once (the
 * caller answers and closes the connection). Whatever the outcome, everything taken from the
 * budget is given back when `done` returns, and the request keeps none of the reader's listeners.
 *
 * A callback rather than a promise: the receiver answers in the same turn the body ends, without
 * the microtasks an `await` chain costs every delivery.
 *
 * @param request - the request, body not yet read; its 'error' is the caller's to listen to once
 *   the reader has let go of it
 * @param limits - cap, shared budget, deadline
 * @param done - called once, possibly before `readBody` returns: with the body (its bytes stay
 *   taken from the budget until `done` returns), or with a {@link WebhookRefusedError}
 *   `malformedDelivery` (a `Content-Length` that is not a byte count), `bodyTooLarge` (or
 *   `limits.tooLarge`), `overloaded`, `bodyTimeout`, `aborted`, or `internal` (the body was
 *   read to its end before, by something else)
 */
export function readBody(
  request: IncomingMessage,
  limits: BodyLimits,
  done: (outcome: BodyOutcome) => void,
): void {
  const { maxBytes, budget } = limits;
  // Read by a body parser mounted before the receiver: no byte can come, and only the raw bytes verify.
  if (request.readableEnded) return done(new WebhookRefusedError('internal', BODY_ALREADY_READ));
  // The client hung up before the receiver got the request: no byte can come either.
  if (request.destroyed) return done(hungUp());
  const header = request.headers['content-length'];
  let declared: number | undefined;
  if (header !== undefined) {
    // Node's HTTP parser already refuses any other form; a framework's stand-in request may not.
    if (!DECIMAL_DIGITS.test(header))
      return done(new WebhookRefusedError('malformedDelivery', 'Content-Length is not a byte count'));
    declared = Number(header);
    if (declared > maxBytes) return done(limits.tooLarge(`body of ${declared} bytes exceeds ${maxBytes}`));
    if (!budget.take(declared)) return done(overloaded(limits));
  }
  new BodyReader(request, limits, declared, done);
}

/**
 * One body being read: its chunks, its share of the budget, its deadline, and whether it is
 * settled. It listens to the request until it settles, then lets go of the request and of the
 * chunks: Node keeps a keep-alive connection's last request until the next one arrives, and a
 * listener left on it would keep the body that long, outside the budget.
 */
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
  readonly #onData = (chunk: Buffer): void => this.#add(chunk);
  readonly #onEnd = (): void => this.#finish();
  /** An error or a close before the end. */
  readonly #onAbort = (): void => this.#settle(hungUp());

  public constructor(
    private readonly request: IncomingMessage,
    private readonly limits: BodyLimits,
    private readonly declared: number | undefined,
    private readonly done: (outcome: BodyOutcome) => void,
  ) {
    this.#taken = declared ?? 0;
    this.#timer = setTimeout(
      () =>
        this.#settle(new WebhookRefusedError('bodyTimeout', `body incomplete after ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    request.on('data', this.#onData);
    request.on('end', this.#onEnd);
    request.on('error', this.#onAbort);
    request.on('close', this.#onAbort);
  }

  /** A chunk arrived: counted against the cap and, without a declared length, charged to the budget. */
  #add(chunk: Buffer): void {
    const { maxBytes, budget } = this.limits;
    this.#size += chunk.length;
    if (this.#size > maxBytes) {
      this.#settle(this.limits.tooLarge(`body exceeds ${maxBytes} bytes`));
      return;
    }
    if (this.declared === undefined) {
      if (!budget.take(chunk.length)) {
        this.#settle(overloaded(this.limits));
        return;
      }
      this.#taken += chunk.length;
    }
    if (this.#first === undefined) this.#first = chunk;
    else (this.#chunks ??= [this.#first]).push(chunk);
  }

  /** The body is complete. */
  #finish(): void {
    const body =
      this.#chunks !== undefined ? Buffer.concat(this.#chunks, this.#size) : (this.#first ?? Buffer.alloc(0));
    this.#settle(body);
  }

  /**
   * Stops reading and hands `outcome` over; a refusal also pauses the request (the caller closes
   * the connection). The budget gets back what was taken once `done` returns, even if it throws.
   */
  #settle(outcome: BodyOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    const { request } = this;
    request.off('data', this.#onData);
    request.off('end', this.#onEnd);
    request.off('error', this.#onAbort);
    request.off('close', this.#onAbort);
    if (outcome instanceof WebhookRefusedError) request.pause();
    this.#first = undefined;
    this.#chunks = undefined;
    try {
      this.done(outcome);
    } finally {
      this.limits.budget.give(this.#taken);
    }
  }
}

/** The refusal of a body whose client hung up: nothing more of it can arrive. */
function hungUp(): WebhookRefusedError {
  return new WebhookRefusedError('aborted', 'the client hung up before the body was complete');
}

/** The budget is spent; bodies hold their share no longer than their timeout, so that is the wait to suggest. */
function overloaded({ budget, timeoutMs }: BodyLimits): WebhookRefusedError {
  return new WebhookRefusedError(
    'overloaded',
    `bodies in progress already hold ${budget.used} of ${budget.capacity} bytes`,
    { retryAfterSeconds: Math.ceil(timeoutMs / 1000) },
  );
}
