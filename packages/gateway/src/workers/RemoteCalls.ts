import type { FromWorker, RemoteMethod, ToWorker } from './messages.js';
import { fromWireError } from './wireError.js';

type Reply = Extract<ToWorker, { type: 'reply' }>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The worker thread's side of its calls to the main thread (identify turns, session store, access
 * tokens): each call gets a number, the main thread answers it with a `reply`, and an aborted
 * call is withdrawn with `cancel` and rejects at once with the signal's reason.
 */
export class RemoteCalls {
  readonly #post: (message: FromWorker) => void;
  readonly #pending = new Map<number, Pending>();
  #next = 0;

  /** @param post - sends a message to the main thread */
  public constructor(post: (message: FromWorker) => void) {
    this.#post = post;
  }

  /**
   * Calls the main thread.
   *
   * @param method - what to call
   * @param shardId - the shard calling
   * @param args - its arguments (plain data)
   * @param signal - withdraws the call
   */
  public call<T>(method: RemoteMethod, shardId: number, args: unknown[], signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const call = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        this.#pending.delete(call);
        this.#post({ type: 'cancel', call });
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(call, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      this.#post({ type: 'call', call, method, shardId, args });
    });
  }

  /** Settles a call with the main thread's answer; an answer to a withdrawn call is dropped. */
  public settle(reply: Reply): void {
    const pending = this.#pending.get(reply.call);
    if (pending === undefined) return;
    this.#pending.delete(reply.call);
    // The error as the main thread's service threw it, class or `kind` kept: an `AuthenticationError`
    // of the token source must still stop the shard for good, as it does in-process.
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWireError(reply.error));
  }
}
