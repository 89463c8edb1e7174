import {
  ApiError,
  callSiteOf,
  requestsFrom,
  StreamInputState,
  type C2cApi,
  type StreamMessageBody,
} from '@bot/http';
import type { ReplySequencer } from '../ReplySequencer.js';
import type { ReplyStreamSink } from './ReplyStreamSink.js';
import { ReplyStreamError } from './ReplyStreamError.js';

/**
 * Frames of a C2C streamed reply (docs/protocol.md §15.1): `input_mode: replace` with the whole
 * text each time, one `msg_seq` for the whole stream (taken from the client's reply numbering on
 * the first frame), `index` 0, 1, 2…, and from the second frame on the `stream_msg_id` the
 * platform returned for the first.
 *
 * A frame whose answer was lost (a timeout, a 5xx, an abort in flight) may still have landed; it
 * is not re-sent (its `msg_seq` is no dedupe key, §15.1). When the next frame is then refused
 * with the emulator's wording for an index behind (`field "index" must be N`, N the index after
 * it), that frame did land: it is counted and the refused frame goes out once more with index N.
 * The real platform's wording for this refusal is not documented: any other refusal, there or
 * here, fails the stream.
 */
export class C2CStreamSink implements ReplyStreamSink {
  public readonly streaming = true;
  #streamId: string | undefined;
  #index = 0;
  #msgSeq: number | undefined;

  /**
   * @param api - `api.c2c`
   * @param openid - the user's openid
   * @param replyTo - the inbound message id (sent as `msg_id`)
   * @param replies - the client's reply numbering
   * @param contentType - how the client renders the text (`markdown` by default, as the official SDK)
   */
  public constructor(
    private readonly api: C2cApi,
    private readonly openid: string,
    private readonly replyTo: string,
    private readonly replies: ReplySequencer,
    private readonly contentType: StreamMessageBody['content_type'] = 'markdown',
  ) {}

  /** The stream's id, once the first frame was answered. */
  public get streamId(): string | undefined {
    return this.#streamId;
  }

  /** Frames accepted so far. */
  public get index(): number {
    return this.#index;
  }

  /**
   * Sends one frame; the first takes a `msg_seq` and learns the stream's id.
   *
   * @param text - the whole text so far
   * @param done - whether this frame finishes the stream
   * @param signal - ends a later frame early (`abort()`); the first frame is never cut short, as
   *   only its answer names the stream, and without it the stream cannot be closed
   */
  public async frame(text: string, done: boolean, signal?: AbortSignal): Promise<void> {
    // The stream's site while a stream sends (its caller's line otherwise), for the re-send below.
    const site = callSiteOf(C2CStreamSink.prototype.frame);
    const msgSeq = this.#msgSeq;
    if (msgSeq !== undefined) {
      const options = signal === undefined ? {} : { signal };
      try {
        await this.api.streamFrame(this.openid, this.#body(text, done, msgSeq), options);
      } catch (error) {
        if (expectedIndexOf(error) !== this.#index + 1) throw error;
        // The frame before this one landed although its answer was lost: count it, go on after it.
        this.#index += 1;
        // Sent after an await, outside the stream's requestsFrom: it fails with the same site.
        await requestsFrom(site, () =>
          this.api.streamFrame(this.openid, this.#body(text, done, msgSeq), options),
        );
      }
    } else {
      // The first frame is the reply: a msg_seq taken by another sender is skipped like any reply's.
      const answer = await this.replies.send(this.replyTo, (seq) => {
        this.#msgSeq = seq;
        return this.api.streamFrame(this.openid, this.#body(text, done, seq));
      });
      if (typeof answer?.id !== 'string' || answer.id === '')
        throw new ReplyStreamError(
          'send',
          'the platform answered the first stream frame without an id, so the stream cannot go on; ' +
            'report it with the trace id of the request',
        );
      this.#streamId = answer.id;
    }
    this.#index += 1;
  }

  #body(text: string, done: boolean, msgSeq: number): StreamMessageBody {
    return {
      input_mode: 'replace',
      input_state: done ? StreamInputState.Done : StreamInputState.Generating,
      content_type: this.contentType,
      content_raw: text,
      msg_id: this.replyTo,
      msg_seq: msgSeq,
      index: this.#index,
      ...(this.#streamId === undefined ? {} : { stream_msg_id: this.#streamId }),
    };
  }
}

/**
 * The index a refusal says the platform expects (`field "index" must be N`, the emulator's
 * wording; docs/protocol.md §15.1), or `undefined` when it is no such refusal.
 */
function expectedIndexOf(error: unknown): number | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  const match = /"index" must be (\d+)/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}
