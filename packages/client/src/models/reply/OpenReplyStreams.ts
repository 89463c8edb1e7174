import { requireInteger } from '@bot/core';
import { ReplyStreamError, streamErrors } from './ReplyStreamError.js';

/** Most streamed replies one client keeps open at once, by default. */
export const MAX_OPEN_REPLY_STREAMS = 10_000;

/** What the registry needs of a stream: a way to stop it. */
export interface AbortableStream {
  abort(reason?: unknown): Promise<void>;
}

/**
 * The streamed replies of one client that are still open, so that `Client.shutdown()` can close
 * them (a C2C stream left open stays "generating" for the user). Bounded: past `capacity` a new
 * stream is refused rather than left untracked. Once {@link OpenReplyStreams.close}d, every new
 * stream is refused.
 */
export class OpenReplyStreams {
  readonly #open = new Set<AbortableStream>();
  readonly #capacity: number;
  #closed = false;

  /** @param capacity - most streams open at once ({@link MAX_OPEN_REPLY_STREAMS}) */
  public constructor(capacity: number = MAX_OPEN_REPLY_STREAMS) {
    this.#capacity = requireInteger(capacity, 'capacity', 1);
  }

  /** Streams open now. */
  public get size(): number {
    return this.#open.size;
  }

  /**
   * Tracks a stream until {@link OpenReplyStreams.delete}.
   *
   * @throws {@link ReplyStreamError} `'shutDown'` once closed, `'tooMany'` when `capacity` streams
   *   are open already
   */
  public add(stream: AbortableStream): void {
    if (this.#closed) throw streamErrors.shutDown();
    if (this.#open.size >= this.#capacity)
      throw new ReplyStreamError(
        'tooMany',
        `${this.#open.size} streamed replies are open already; end or abort some before starting another`,
      );
    this.#open.add(stream);
  }

  /** Stops tracking a stream that finished. */
  public delete(stream: AbortableStream): void {
    this.#open.delete(stream);
  }

  /**
   * Aborts every open stream (each closes what its user sees) and waits for them.
   *
   * @param reason - why, kept as each stream's error cause
   */
  public async abortAll(reason: unknown): Promise<void> {
    await Promise.all([...this.#open].map((stream) => stream.abort(reason)));
  }

  /**
   * Refuses every new stream from now on and aborts those still open, with a
   * {@link ReplyStreamError} `'shutDown'` as the reason: the client's last step before its REST
   * client is released, so no stream outlives it "generating".
   */
  public async close(): Promise<void> {
    this.#closed = true;
    await this.abortAll(streamErrors.shutDown());
  }
}
