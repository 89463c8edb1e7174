import { Deferred, requireInteger } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import { SendQueueFullError } from '../errors/SendQueueFullError.js';
import { DEFAULT_MAX_QUEUED_SENDS } from '../shard/SendLimiter.js';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { WorkerLink } from './WorkerLink.js';
import { shardErrorFromWire, type WireError } from './wireError.js';

/**
 * The frames a `WorkerShard` asked its thread to send, each waiting for the thread to tell how
 * the send went; a thread that exits fails every one still waiting. At most `maxQueued` wait, the
 * bound an in-process shard keeps: a busy thread reads its port late, and each frame posted
 * meanwhile would hold a copy and a promise here with no limit.
 */
export class WorkerShardSends {
  readonly #id: number;
  readonly #link: WorkerLink;
  readonly #maxQueued: number;
  readonly #waiting = new Map<number, Deferred<void>>();

  /**
   * @param id - the shard's id
   * @param link - the thread that runs it
   * @param maxQueued - most sends waiting for the thread's answer (`sendLimit.maxQueued`)
   * @throws {@link ValidationError} unless `maxQueued` is an integer ≥ 1
   */
  public constructor(id: number, link: WorkerLink, maxQueued = DEFAULT_MAX_QUEUED_SENDS) {
    this.#id = id;
    this.#link = link;
    this.#maxQueued = requireInteger(maxQueued, 'sendLimit.maxQueued', 1);
  }

  /**
   * Asks the thread to send a frame.
   *
   * @returns resolves once the thread sent it
   * @throws {@link SendQueueFullError} (as a rejection, at once) when `maxQueued` sends already wait
   * @throws {@link GatewayError} (as a rejection) when the frame was not sent
   */
  public send(payload: GatewayPayload): Promise<void> {
    if (this.#waiting.size >= this.#maxQueued)
      return Promise.reject(new SendQueueFullError(this.#maxQueued, this.#id));
    const call = this.#link.nextCall();
    const sent = new Deferred<void>();
    this.#waiting.set(call, sent);
    if (!this.#link.post({ type: 'send', id: this.#id, call, payload })) this.#unsent(call);
    return sent.promise;
  }

  /** The thread told how send `call` went: sent, or the error it failed with. */
  public settled(call: number, error: WireError | undefined): void {
    const sent = this.#waiting.get(call);
    this.#waiting.delete(call);
    if (error === undefined) sent?.resolve();
    else sent?.reject(shardErrorFromWire(error, this.#id));
  }

  /** The thread exited: no send still waiting will be told about. */
  public threadLost(): void {
    for (const call of [...this.#waiting.keys()]) this.#unsent(call);
  }

  #unsent(call: number): void {
    const sent = this.#waiting.get(call);
    this.#waiting.delete(call);
    sent?.reject(
      new GatewayError('the worker thread running the shard exited before the frame was sent', this.#id),
    );
  }
}
