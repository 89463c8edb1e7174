import { isPendingAudit, type PendingAudit } from '@bot/http';

/**
 * Where a {@link ReplyStream}'s frames go. A streaming sink shows every frame as it arrives (C2C
 * `stream_messages`); the fallback sink of groups and guilds, which have no streaming, sends one
 * message with the whole text when the stream ends (docs/protocol.md §15.3).
 */
export interface ReplyStreamSink {
  /** Whether frames before the last one are shown (`false`: only the final text is sent). */
  readonly streaming: boolean;
  /** The platform's id of the stream, once its first frame was answered. */
  readonly streamId: string | undefined;
  /** Frames the platform accepted so far (the next frame's `index`). */
  readonly index: number;
  /** The audit holding the sent text, when the platform held it for audit (one-message sinks). */
  readonly pendingAudit?: PendingAudit | undefined;
  /**
   * Sends the whole text so far.
   *
   * @param text - everything written so far
   * @param done - whether this is the last frame
   * @param signal - aborted by `ReplyStream.abort()`, so a frame in flight need not wait out its timeout
   */
  frame(text: string, done: boolean, signal?: AbortSignal): Promise<void>;
}

/**
 * The fallback of scenes without streaming: nothing is sent until the stream ends, then one
 * message with the whole text, through the message's ordinary `reply()`.
 */
export class OneMessageSink implements ReplyStreamSink {
  public readonly streaming = false;
  public readonly streamId = undefined;
  #index = 0;
  #pendingAudit: PendingAudit | undefined;

  /** @param send - sends the whole text as one reply */
  public constructor(private readonly send: (text: string) => Promise<unknown>) {}

  /** 1 once the message was sent, 0 before. */
  public get index(): number {
    return this.#index;
  }

  /** The audit holding the message, when the platform held it for audit. */
  public get pendingAudit(): PendingAudit | undefined {
    return this.#pendingAudit;
  }

  /** Sends `text` as one message when `done`; earlier frames are kept back. */
  public async frame(text: string, done: boolean): Promise<void> {
    if (!done) return;
    const sent = await this.send(text);
    if (isPendingAudit(sent)) this.#pendingAudit = sent;
    this.#index = 1;
  }
}
