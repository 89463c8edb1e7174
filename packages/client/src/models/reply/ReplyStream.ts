import { Deferred, requireInteger, sleepUnlessAborted, ValidationError } from '@bot/core';
import type { ReplyOptions, ReplyWindowPolicy } from './replyRules.js';
import type { ReplyStreamSink } from './ReplyStreamSink.js';
import { ReplyStreamError } from './ReplyStreamError.js';
import type { ReplyWindow } from './ReplyWindow.js';

/** Default least time between two frames: the official SDK's 500 ms (docs/protocol.md §15.1). */
export const DEFAULT_STREAM_INTERVAL_MS = 500;
/** Shortest interval accepted: the official SDK's floor, 300 ms (§15.1). */
export const MIN_STREAM_INTERVAL_MS = 300;
/** Default longest text of one stream, in characters (the platform documents none). */
export const DEFAULT_STREAM_MAX_LENGTH = 20_000;

/** Settings of one streamed reply. */
export interface ReplyStreamOptions extends ReplyOptions {
  /** Least time between two frames, in ms: {@link DEFAULT_STREAM_INTERVAL_MS}, at least {@link MIN_STREAM_INTERVAL_MS}. */
  intervalMs?: number;
  /** Longest text the stream accepts, in characters ({@link DEFAULT_STREAM_MAX_LENGTH}). */
  maxLength?: number;
  /** How C2C clients render the text: `'markdown'` (default, as the official SDK) or `'text'`. */
  contentType?: 'markdown' | 'text';
}

/** Where a stream is: taking text, finishing, or over (done, aborted, failed). */
export type ReplyStreamState = 'open' | 'ending' | 'done' | 'aborted' | 'failed';

/** What a finished stream sent. */
export interface ReplyStreamResult {
  /** The whole text. */
  text: string;
  /** Frames sent: one per flush in C2C, 1 for the one-message fallback, 0 when nothing was written. */
  frames: number;
  /** The platform's id of the stream (C2C), or `undefined`. */
  streamId: string | undefined;
  /** Whether the reply was shown as it grew (C2C) rather than sent once at the end. */
  streamed: boolean;
}

/**
 * A reply that grows as text arrives (`message.replyStream()`). {@link ReplyStream.write} appends
 * text at once; frames go out on their own, at most one per `intervalMs`, each carrying the whole
 * text so far, so many small writes coalesce into few requests. {@link ReplyStream.end} sends the
 * last frame and settles with what was sent; {@link ReplyStream.abort} stops early. A frame the
 * platform refuses fails the stream: later calls throw a {@link ReplyStreamError} with the cause,
 * and a stream already shown is closed with the text written so far. Groups and guilds have no
 * streaming: there the text is kept and sent as one message on `end()` (docs/protocol.md §15.3).
 *
 * Always finish a stream with `end()` or `abort()`: an open C2C stream stays "generating" for
 * the user.
 */
export class ReplyStream {
  readonly #sink: ReplyStreamSink;
  readonly #window: ReplyWindow;
  readonly #policy: ReplyWindowPolicy;
  readonly #intervalMs: number;
  readonly #maxLength: number;
  readonly #finished = new Deferred<ReplyStreamResult>();
  readonly #stop = new AbortController();
  #text = '';
  #sent = '';
  #frames = 0;
  #lastFrameAt = Number.NEGATIVE_INFINITY;
  #state: ReplyStreamState = 'open';
  #error: ReplyStreamError | undefined;
  #wake: Deferred<void> | undefined;
  #pump: Promise<void> | undefined;
  #closedOnPlatform = false;

  /**
   * Checks the reply window (a closed one throws `ReplyWindowClosedError` unless `policy` is
   * `'ignore'`) and, for a streaming sink, counts the stream as one reply.
   *
   * @param sink - where frames go
   * @param window - the replied-to message's window
   * @param policy - whether a closed window refuses the stream
   * @param options - interval and length limit
   */
  public constructor(
    sink: ReplyStreamSink,
    window: ReplyWindow,
    policy: ReplyWindowPolicy,
    options: ReplyStreamOptions = {},
  ) {
    this.#intervalMs = requireInteger(
      options.intervalMs ?? DEFAULT_STREAM_INTERVAL_MS,
      'options.intervalMs',
      MIN_STREAM_INTERVAL_MS,
    );
    this.#maxLength = requireInteger(options.maxLength ?? DEFAULT_STREAM_MAX_LENGTH, 'options.maxLength', 1);
    this.#sink = sink;
    this.#window = window;
    this.#policy = policy;
    // The fallback's one message is an ordinary reply, which checks and counts itself.
    if (sink.streaming) window.reserve(policy);
    else window.check(policy);
  }

  /** Where the stream is. */
  public get state(): ReplyStreamState {
    return this.#state;
  }

  /** Everything written so far. */
  public get text(): string {
    return this.#text;
  }

  /** The platform's id of the stream (`stream_msg_id`), once its first frame was answered. */
  public get streamId(): string | undefined {
    return this.#sink.streamId;
  }

  /** Frames the platform accepted (the next frame's `index`). */
  public get index(): number {
    return this.#sink.index;
  }

  /**
   * Appends text; it goes out with the next frame. Returns at once.
   *
   * @param text - the next piece (an empty string is ignored)
   * @throws {@link ReplyStreamError} `'closed'` after `end()`/`abort()`, the stream's own error
   *   after a failure, `'tooLong'` past `maxLength` (the stream stays usable)
   */
  public write(text: string): void {
    if (this.#state !== 'open') throw this.#error ?? this.#closedError();
    if (typeof text !== 'string') throw new ValidationError('text', 'must be a string');
    if (this.#text.length + text.length > this.#maxLength)
      throw new ReplyStreamError(
        'tooLong',
        `the streamed reply would grow past ${this.#maxLength} characters; end it and continue in ` +
          'another reply, or raise maxLength',
      );
    if (text === '') return;
    this.#text += text;
    this.#kick();
  }

  /**
   * Appends `finalText`, sends the last frame and settles with what was sent. Calling it again
   * returns the same promise.
   *
   * @param finalText - a last piece of text
   * @returns the whole text, the number of frames and the stream's id
   * @throws {@link ReplyStreamError} when the stream failed or was aborted
   */
  public end(finalText?: string): Promise<ReplyStreamResult> {
    if (this.#state === 'open') {
      try {
        if (finalText !== undefined) this.write(finalText);
      } catch (error) {
        return Promise.reject(error);
      }
      this.#state = 'ending';
      this.#kick();
    }
    return this.#finished.promise;
  }

  /**
   * Stops the stream. A C2C stream the user already sees is closed with all the text written so
   * far; the fallback sends nothing. `end()` then rejects with a {@link ReplyStreamError} `'aborted'`.
   *
   * @param reason - why, kept as the error's `cause`
   */
  public async abort(reason?: unknown): Promise<void> {
    if (this.#state !== 'open' && this.#state !== 'ending') return;
    const error = new ReplyStreamError(
      'aborted',
      `the streamed reply was aborted${describe(reason)}; the user sees the text written so far`,
      reason,
    );
    await this.#finish(error, 'aborted');
  }

  /**
   * A web `WritableStream` over this stream, for `readable.pipeTo(stream.writable())`: each chunk
   * is written, closing ends the stream, aborting aborts it.
   */
  public writable(): WritableStream<string> {
    return new WritableStream<string>({
      write: (chunk) => this.write(chunk),
      close: async () => {
        await this.end();
      },
      abort: (reason) => this.abort(reason),
    });
  }

  /** Starts the frame loop on the first need for it. */
  #kick(): void {
    this.#pump ??= this.#run();
    this.#wake?.resolve();
  }

  async #run(): Promise<void> {
    try {
      for (;;) {
        if (this.#state !== 'open' && this.#state !== 'ending') return;
        const ending = this.#state === 'ending';
        const fresh = this.#text !== this.#sent;
        if (!ending && !(fresh && this.#sink.streaming)) {
          this.#wake = new Deferred<void>();
          await this.#wake.promise;
          continue;
        }
        const wait = this.#lastFrameAt + this.#intervalMs - Date.now();
        if (this.#sink.streaming && wait > 0) {
          // Capped at one interval, cut short by abort(); more text may arrive meanwhile.
          await sleepUnlessAborted(Math.min(wait, this.#intervalMs), this.#stop.signal);
          continue;
        }
        const text = this.#text;
        // A stream opened in time may write its first text after the window closed.
        if (this.#frames === 0 && this.#sink.streaming) this.#window.check(this.#policy, true);
        if (ending && text === '') return this.#settle();
        await this.#sink.frame(text, ending);
        this.#sent = text;
        this.#frames += 1;
        this.#lastFrameAt = Date.now();
        if (ending) {
          this.#closedOnPlatform = true;
          return this.#settle();
        }
      }
    } catch (error) {
      if (this.#state === 'open' || this.#state === 'ending') {
        const failure = new ReplyStreamError(
          'send',
          `a frame of the streamed reply failed after ${this.#frames} frame(s): ${describeError(error)}; ` +
            'the stream was closed with the text written so far, if it could be',
          error,
        );
        // Not awaited by #run itself: #finish waits for this very loop to end.
        void this.#finish(failure, 'failed', error);
      }
    }
  }

  /** The stream finished normally: report what was sent. */
  #settle(): void {
    this.#state = 'done';
    if (this.#sink.streaming && this.#frames === 0) this.#window.release();
    this.#finished.resolve({
      text: this.#sent,
      frames: this.#frames,
      streamId: this.#sink.streamId,
      streamed: this.#sink.streaming,
    });
  }

  /** Ends an aborted or failed stream: waits for a frame in flight, closes what the user sees. */
  async #finish(error: ReplyStreamError, state: 'aborted' | 'failed', cause?: unknown): Promise<void> {
    this.#state = state;
    this.#error = error;
    this.#stop.abort();
    this.#wake?.resolve();
    await this.#pump?.catch(() => undefined);
    if ((this.#state as ReplyStreamState) === 'done') return; // the last frame landed while abort() waited for it
    if (this.#sink.streaming && this.#sink.index > 0 && !this.#closedOnPlatform) {
      // Best effort, once: a stream left "generating" confuses the user more than a short answer.
      // The closing frame keeps the interval too (at most one interval's wait).
      await sleepUnlessAborted(Math.min(this.#lastFrameAt + this.#intervalMs - Date.now(), this.#intervalMs));
      await this.#sink.frame(this.#text, true).then(
        () => (this.#closedOnPlatform = true),
        () => undefined,
      );
    }
    if (this.#sink.streaming && this.#sink.index === 0) this.#window.settle(cause ?? error);
    this.#finished.reject(error);
  }

  #closedError(): ReplyStreamError {
    return new ReplyStreamError(
      'closed',
      `the streamed reply is ${this.#state}: no more text can be written; start another reply`,
    );
  }
}

function describe(reason: unknown): string {
  return reason === undefined ? '' : `: ${describeError(reason)}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
