import { Deferred } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import type { WorkerLink } from './WorkerLink.js';
import { shardErrorFromWire, type WireError } from './wireError.js';

/**
 * The frames a `WorkerShard` asked its thread to send, each waiting for the thread to tell how
 * the send went; a thread that exits fails every one still waiting.
 */
export class WorkerShardSends {
  readonly #id: number;
  readonly #link: WorkerLink;
  readonly #waiting = new Map<number, Deferred<void>>();

  /**
   * @param id - the shard's id
   * @param link - the thread that runs it
   */
  public constructor(id: number, link: WorkerLink) {
    this.#id = id;
    this.#link = link;
  }

  /**
   * Asks the thread to send a frame.
   *
   * @returns resolves once the thread sent it
   * @throws {@link GatewayError} (as a rejection) when the frame was not sent
   */
  public send(payload: GatewayPayload): Promise<void> {
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
