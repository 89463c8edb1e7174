import { Deferred, msUntil, sleepUnlessAborted, steadyNow, ValidationError } from '@bot/core';
import { attachCallSite, callSiteOf, requestsFrom, type CallSite } from '@bot/http';
import type { OpenReplyStreams } from './OpenReplyStreams.js';
import type { ReplyWindowPolicy } from './replyRules.js';
import type { ReplyStreamSink } from './ReplyStreamSink.js';
import { ReplyStreamError, streamErrors } from './ReplyStreamError.js';
import type { ReplyStreamOptions, ReplyStreamResult, ReplyStreamState } from './replyStreamOptions.js';
import type { ReplyWindow } from './ReplyWindow.js';
import { ReplyWindowClosedError } from './ReplyWindowClosedError.js';
import { streamSettings, type StreamSettings } from './streamSettings.js';

/** What ends a stream early: its own failure, or the reply window found closed. */
type StreamFailure = ReplyStreamError | ReplyWindowClosedError;

/**
 * A reply that grows as text arrives (`message.replyStream()`). {@link ReplyStream.write} appends
 * text at once; frames go out on their own, at most one per `intervalMs`, each carrying the whole
 * text so far, so many small writes coalesce into few requests. {@link ReplyStream.end} sends the
 * last frame and settles with what was sent; {@link ReplyStream.abort} stops early. A frame the
 * platform refuses fails the stream: later calls throw a {@link ReplyStreamError} with the cause,
 * and a stream already shown is closed with the text written so far; a reply window found closed
 * fails it with the {@link ReplyWindowClosedError} itself. No frame goes out while the text is
 * blank (the platform refuses an empty message). Groups and guilds have no streaming: there the
 * text is kept and sent as one message on `end()` (docs/protocol.md §15.3).
 *
 * Finish a stream with `end()` or `abort()`: an open C2C stream stays "generating" for the user.
 * One left without a `write()` for `idleTimeoutMs` is aborted and closed, and so are the open
 * streams of a client that shuts down.
 */
export class ReplyStream {
  readonly #sink: ReplyStreamSink;
  readonly #window: ReplyWindow;
  readonly #policy: ReplyWindowPolicy;
  readonly #settings: StreamSettings;
  readonly #openStreams: OpenReplyStreams | undefined;
  /** Where the caller's code started the stream: its frames fail with this line. */
  readonly #site: CallSite;
  readonly #finished = new Deferred<ReplyStreamResult>();
  readonly #stop = new AbortController();
  #text = '';
  /** Characters (code points) in `#text`, which `maxLength` bounds. */
  #length = 0;
  /**
   * Whether `#text` ends with a high surrogate, so a low one opening the next write completes a
   * character already counted. Kept here: reading the end of the appended text would flatten it
   * on every write, quadratic over many small writes.
   */
  #endsInHighSurrogate = false;
  #sent = '';
  #frames = 0;
  /** When the last frame was tried, on the steady clock: the interval is a duration. */
  #lastFrameAt = Number.NEGATIVE_INFINITY;
  #state: ReplyStreamState = 'open';
  #error: StreamFailure | undefined;
  /** Frames handed to the sink, landed or not. */
  #attempts = 0;
  /** Why the last frame failed, if one did. */
  #frameError: unknown;
  #idle: NodeJS.Timeout | undefined;
  #wake: Deferred<void> | undefined;
  #pump: Promise<void> | undefined;
  #closedOnPlatform = false;
  /** The one stop under way (abort, failure or idle timeout): every later `abort()` waits for it. */
  #stopping: Promise<void> | undefined;

  /**
   * Checks the reply window (a closed one throws `ReplyWindowClosedError` unless `policy` is
   * `'ignore'`) and, for a streaming sink, counts the stream as one reply. A failed frame shows the
   * line of the caller's code that started the stream (`message.replyStream()`, or this constructor).
   *
   * @param sink - where frames go
   * @param window - the replied-to message's window
   * @param policy - whether a closed window refuses the stream
   * @param options - interval, length limit, idle timeout
   * @param openStreams - the client's open streams, which the stream joins until it is over
   * @throws {@link ReplyStreamError} `'tooMany'` when the client has too many streams open,
   *   `'shutDown'` once the client has shut down
   */
  public constructor(
    sink: ReplyStreamSink,
    window: ReplyWindow,
    policy: ReplyWindowPolicy,
    options: ReplyStreamOptions = {},
    openStreams?: OpenReplyStreams,
  ) {
    // Frames go out in later turns, from the frame loop: they keep the line that started the stream.
    this.#site = callSiteOf(ReplyStream);
    this.#settings = streamSettings(options);
    this.#sink = sink;
    this.#window = window;
    this.#policy = policy;
    // The fallback's one message is an ordinary reply, which checks and counts itself.
    if (sink.streaming) window.reserve(policy);
    else window.check(policy);
    try {
      openStreams?.add(this);
    } catch (error) {
      if (sink.streaming) window.release();
      throw error;
    }
    this.#openStreams = openStreams;
    this.#armIdleTimer();
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

  /**
   * Whether the reply is shown as it grows (C2C), rather than sent as one message on `end()`
   * (groups and guilds, where a stream stopped early sends nothing).
   */
  public get streamed(): boolean {
    return this.#sink.streaming;
  }

  /** Frames the platform accepted (the next frame's `index`). */
  public get index(): number {
    return this.#sink.index;
  }

  /**
   * Aborted when the stream stops early (`abort()`, a failed frame, the idle timeout, the
   * client's shutdown), so the work producing its text can stop too: pass it to the request that
   * streams the tokens. `end()` then rejects with why. Never aborted by a stream that ends normally.
   */
  public get signal(): AbortSignal {
    return this.#stop.signal;
  }

  /**
   * Appends text; it goes out with the next frame. Returns at once.
   *
   * @param text - the next piece (an empty string is ignored)
   * @throws {@link ReplyStreamError} `'closed'` after `end()`/`abort()`, the stream's own error
   *   (or `ReplyWindowClosedError`) after a failure, `'tooLong'` past `maxLength` (the stream
   *   stays usable)
   */
  public write(text: string): void {
    if (this.#state !== 'open') throw this.#error ?? streamErrors.closed(this.#state);
    if (typeof text !== 'string') throw new ValidationError('text', 'must be a string');
    this.#armIdleTimer();
    const length = this.#length + addedCodePoints(this.#endsInHighSurrogate, text);
    if (length > this.#settings.maxLength) throw streamErrors.tooLong(this.#settings.maxLength);
    if (text === '') return;
    this.#text += text;
    this.#length = length;
    this.#endsInHighSurrogate = isHighSurrogate(text.charCodeAt(text.length - 1));
    this.#kick();
  }

  /**
   * Appends `finalText`, sends the last frame and settles with what was sent. Calling it again
   * returns the same promise.
   *
   * @param finalText - a last piece of text
   * @returns the whole text, the number of frames and the stream's id; a blank text (only
   *   whitespace) sends nothing and settles with `frames: 0` and `text: ''`
   * @throws {@link ReplyStreamError} when the stream failed or was aborted, or the
   *   `ReplyWindowClosedError` when the reply window was found closed
   */
  public end(finalText?: string): Promise<ReplyStreamResult> {
    if (this.#state === 'open') {
      try {
        if (finalText !== undefined) this.write(finalText);
      } catch (error) {
        return Promise.reject(error);
      }
      this.#state = 'ending';
      clearTimeout(this.#idle);
      this.#kick();
    }
    return this.#finished.promise;
  }

  /**
   * Stops the stream. A C2C stream the user already sees is closed with all the text written so
   * far; the fallback sends nothing. `end()` then rejects with a {@link ReplyStreamError} `'aborted'`.
   * Settles once the stream is closed: on a stream already stopping (a failed frame, its idle
   * timeout, an earlier `abort()`), once that stop has closed it.
   *
   * @param reason - why, kept as the error's `cause`
   */
  public async abort(reason?: unknown): Promise<void> {
    if (this.#state === 'open' || this.#state === 'ending')
      this.#stopWith(streamErrors.aborted(reason, this.#sink.streaming, this.#attempts > 0), 'aborted');
    await this.#stopping;
  }

  /** (Re)starts the wait after which a stream nobody writes to is aborted. */
  #armIdleTimer(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#state !== 'open') return;
      const { idleTimeoutMs } = this.#settings;
      this.#stopWith(streamErrors.idle(idleTimeoutMs, this.#sink.streaming, this.#attempts > 0), 'aborted');
    }, this.#settings.idleTimeoutMs);
    this.#idle.unref();
  }

  /**
   * A web `WritableStream` over this stream, for `readable.pipeTo(stream.writable())`: each chunk
   * is written, closing ends the stream, aborting aborts it. A chunk {@link ReplyStream.write}
   * refuses (past `maxLength`, not a string) aborts the stream, closing what the user sees, and
   * errors the `WritableStream` with the refusal. A stream that stops otherwise (its idle timeout,
   * the client's shutdown, `abort()`, a failed frame) errors the `WritableStream` with its error
   * once it is closed, so `pipeTo` settles and cancels its source instead of waiting for it.
   */
  public writable(): WritableStream<string> {
    return new WritableStream<string>({
      start: (controller) => {
        // A pipe from a stalled source would otherwise wait for its next chunk for good.
        this.#finished.promise.catch((error: unknown) => controller.error(error));
      },
      write: async (chunk, controller) => {
        try {
          this.write(chunk);
        } catch (error) {
          // A write that throws errors the WritableStream for good: nothing could end the reply
          // through it any more, and the user would see it "generating" until the idle timeout.
          // A stream already ending or over is left as it is: end() or its failure decides.
          // The refusal is the WritableStream's error, not the abort that follows from it.
          controller.error(error);
          if (this.#state === 'open') await this.abort(error);
          throw error;
        }
      },
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
        // A blank text is no frame: the platform refuses an empty message (code 50006).
        const fresh = this.#text !== this.#sent && this.#text.trim() !== '';
        if (!ending && !(fresh && this.#sink.streaming)) {
          this.#wake = new Deferred<void>();
          await this.#wake.promise;
          continue;
        }
        const wait = msUntil(this.#lastFrameAt + this.#settings.intervalMs);
        if (this.#sink.streaming && wait > 0) {
          // Cut short by abort(); more text may arrive meanwhile.
          await sleepUnlessAborted(wait, this.#stop.signal);
          continue;
        }
        const text = this.#text;
        if (ending && text.trim() === '') return this.#settle();
        // A stream opened in time may write its first text after the window closed.
        if (this.#frames === 0 && this.#sink.streaming) this.#window.check(this.#policy, true);
        this.#attempts += 1;
        try {
          // Only a frame before the last is cut short by abort(): the last one closes the stream.
          await requestsFrom(this.#site, () =>
            this.#sink.frame(text, ending, ending ? undefined : this.#stop.signal),
          );
        } finally {
          // A failed frame may have landed: the next one keeps the interval after it too.
          this.#lastFrameAt = steadyNow();
        }
        this.#sent = text;
        this.#frames += 1;
        this.#lastFrameAt = steadyNow();
        if (ending) {
          this.#closedOnPlatform = true;
          return this.#settle();
        }
      }
    } catch (error) {
      this.#frameError = error;
      if (this.#state === 'open' || this.#state === 'ending') {
        const failure =
          error instanceof ReplyWindowClosedError
            ? error
            : streamErrors.frameFailed(this.#frames, error, this.#sink.streaming);
        attachCallSite(failure, this.#site);
        // Not awaited by #run itself: #finish waits for this very loop to end.
        this.#stopWith(failure, 'failed', error);
      }
    }
  }

  /** The stream finished normally: report what was sent. */
  #settle(): void {
    this.#state = 'done';
    this.#over();
    if (this.#sink.streaming && this.#frames === 0) this.#window.release();
    this.#finished.resolve({
      text: this.#sent,
      frames: this.#frames,
      streamId: this.#sink.streamId,
      // A stream ended blank showed nothing, streaming sink or not.
      streamed: this.#sink.streaming && this.#frames > 0,
      pendingAudit: this.#sink.pendingAudit,
    });
  }

  /** Starts the stream's one stop ({@link ReplyStream.#finish}), kept for `abort()` to wait on. */
  #stopWith(error: StreamFailure, state: 'aborted' | 'failed', cause?: unknown): void {
    this.#stopping = this.#finish(error, state, cause);
  }

  /** Ends an aborted or failed stream: waits for a frame in flight, closes what the user sees. */
  async #finish(error: StreamFailure, state: 'aborted' | 'failed', cause?: unknown): Promise<void> {
    this.#state = state;
    this.#error = error;
    clearTimeout(this.#idle);
    this.#stop.abort();
    this.#wake?.resolve();
    await this.#pump?.catch(() => undefined);
    if ((this.#state as ReplyStreamState) === 'done') return; // the last frame landed while abort() waited for it
    if (this.#sink.streaming && this.#sink.index > 0 && !this.#closedOnPlatform) {
      // Best effort, once: a stream left "generating" confuses the user more than a short answer.
      // The closing frame keeps the interval too (at most one interval's wait).
      await sleepUnlessAborted(msUntil(this.#lastFrameAt + this.#settings.intervalMs));
      await this.#sink.frame(this.#text, true).then(
        () => (this.#closedOnPlatform = true),
        (closeError: unknown) => {
          // Kept on the error: the user may still see the reply "generating".
          if (error instanceof ReplyStreamError) error.closeError = closeError;
        },
      );
    }
    if (this.#sink.streaming && this.#sink.index === 0) {
      // Nothing tried: the reply is given back; a first frame that failed settles by its error.
      if (this.#attempts === 0) this.#window.release();
      else this.#window.settle(cause ?? this.#frameError ?? error);
    } else {
      // The reply stays counted, but a later frame refused as expired closes the window all the
      // same, as a refused first frame does.
      this.#window.noteRefusal(cause ?? this.#frameError);
    }
    this.#over();
    this.#finished.reject(error);
  }

  /** The stream is over: no timer left, no longer one of the client's open streams. */
  #over(): void {
    clearTimeout(this.#idle);
    this.#openStreams?.delete(this);
  }
}

/**
 * How many code points `added` adds to a text: a surrogate pair split across two writes counts
 * once, as the character it is. Reads `added` only, once per unit.
 *
 * @param afterHigh - whether the text so far ends with a high surrogate
 * @param added - the text appended
 */
function addedCodePoints(afterHigh: boolean, added: string): number {
  let count = 0;
  let previousHigh = afterHigh;
  for (let i = 0; i < added.length; i++) {
    const unit = added.charCodeAt(i);
    // A low surrogate after a high one completes a character already counted.
    if (!(isLowSurrogate(unit) && previousHigh)) count += 1;
    previousHigh = isHighSurrogate(unit);
  }
  return count;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
