import { FatalGatewayError } from '../errors/FatalGatewayError.js';
import type { ShardFatalError } from '../manager/ShardHandle.js';

/**
 * Why a worker shard stopped for good, once it has: the platform's fatal close its thread
 * reported, a thread that could not go on, or, when the thread reported none, a fatal error
 * naming its last close code.
 */
export class WorkerShardFatal {
  readonly #id: number;
  #error: ShardFatalError | undefined;
  /** The last fatal close the thread reported, which a `fatal` state that follows is for. */
  #lastReported: FatalGatewayError | undefined;

  /** @param id - the shard's id */
  public constructor(id: number) {
    this.#id = id;
  }

  /** The reason, once the shard is `fatal`. */
  public get error(): ShardFatalError | undefined {
    return this.#error;
  }

  /** The shard starts again: no reason holds any more. */
  public reset(): void {
    this.#error = undefined;
    this.#lastReported = undefined;
  }

  /** The thread reported `error`: a fatal close is kept as the reason of a `fatal` state to come. */
  public reported(error: Error): void {
    if (error instanceof FatalGatewayError) this.#lastReported = error;
  }

  /** The thread says the shard is `fatal`: its reason, the one reported or one naming the last close code. */
  public stopped(lastCloseCode: number | undefined): ShardFatalError {
    this.#error ??=
      this.#lastReported ??
      new FatalGatewayError(lastCloseCode ?? 0, this.#id, 'stopped for good', {
        message: 'stopped for good; its thread reported no reason',
      });
    return this.#error;
  }

  /** The shard stops for good with `error`, as its thread cannot go on. */
  public forGood(error: ShardFatalError): void {
    this.#error = error;
  }
}
