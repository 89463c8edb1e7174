import { ShutDownBeforeStartError } from '../errors/ShutDownBeforeStartError.js';
import type { StartCall } from './StartCall.js';

/**
 * A `start*` call between its first await and the creation of its shards, when a shutdown must
 * still be able to cancel it: every await of the call goes through {@link PendingLaunch.guard},
 * which rejects as soon as the launch is cancelled, so the call neither creates shards after the
 * shutdown nor waits on a slow source that no longer matters.
 */
export class PendingLaunch {
  /** The shards it will start; empty until they are known (`startAutosharded` asks first). */
  public ids: readonly number[] = [];
  readonly #call: StartCall;
  readonly #cancel = new AbortController();

  /** @param call - the call as written, for the error */
  public constructor(call: StartCall) {
    this.#call = call;
  }

  /** Cancels the launch: the pending await rejects with a {@link ShutDownBeforeStartError}. */
  public cancel(): void {
    this.#cancel.abort();
  }

  /** Aborted once the launch is cancelled, for a step that can stop early (waiting for shard leases). */
  public get signal(): AbortSignal {
    return this.#cancel.signal;
  }

  /**
   * Waits for `work` unless the launch is cancelled first.
   *
   * @param work - a step of the launch
   * @returns what `work` resolves with
   * @throws {@link ShutDownBeforeStartError} (as a rejection) once the launch is cancelled,
   *   whether before or while `work` runs; what `work` settles with later is ignored
   */
  public guard<T>(work: Promise<T>): Promise<T> {
    const signal = this.#cancel.signal;
    if (signal.aborted) return Promise.reject(this.#cancelled());
    return new Promise<T>((resolve, reject) => {
      const onCancel = (): void => reject(this.#cancelled());
      signal.addEventListener('abort', onCancel, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onCancel);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onCancel);
          reject(error);
        },
      );
    });
  }

  /**
   * Throws once the launch is cancelled; called last thing before the shards are created, since
   * a cancel can come between an await's end and the code after it.
   *
   * @throws {@link ShutDownBeforeStartError}
   */
  public throwIfCancelled(): void {
    if (this.#cancel.signal.aborted) throw this.#cancelled();
  }

  #cancelled(): ShutDownBeforeStartError {
    return new ShutDownBeforeStartError(this.#call.text, this.ids);
  }
}
