/** A promise with its settle functions, settled at most once. */
export class Deferred<T> {
  /** The promise. Rejections are marked handled, so an unobserved one never ends the process. */
  public readonly promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (reason: unknown) => void;
  #settled = false;

  /** Creates the pending promise. */
  public constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.promise.catch(() => undefined);
  }

  /** Whether {@link Deferred.resolve} or {@link Deferred.reject} has been called. */
  public get settled(): boolean {
    return this.#settled;
  }

  /** Fulfils the promise, unless it is already settled. */
  public resolve(value: T): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(value);
  }

  /** Rejects the promise, unless it is already settled. */
  public reject(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(reason);
  }
}
