/** Least time between two frames of one stream, ms: the official SDK's floor (docs/protocol.md §15.1). */
export const MIN_STREAM_FRAME_INTERVAL_MS = 300;

/** Why a stream frame was refused. */
export type StreamViolation = 'unknown-stream' | 'other-conversation' | 'closed' | 'index-order' | 'too-fast';

/** One C2C stream as the emulator tracks it. */
export interface StreamRecord {
  readonly id: string;
  /** The user openid the stream goes to. */
  readonly target: string;
  /** `msg_id` or `event_id` the stream replies to. */
  readonly replyTo: string;
  /** The index the next frame must carry. */
  nextIndex: number;
  /** When the last frame was accepted, on the steady clock (ms): the interval is a duration. */
  lastFrameAt: number;
  closed: boolean;
  /** The whole text of the last accepted frame. */
  content: string;
}

/** A frame continuing a stream (any frame with a `stream_msg_id`). */
export interface StreamFrameAttempt {
  streamId: string;
  target: string;
  replyTo: string;
  index: number;
}

/**
 * The state of C2C streams (§15.1): frames numbered 0, 1, 2… without gaps, at least
 * `minIntervalMs` apart, continuing a stream of the same conversation and reply, nothing after
 * the frame that finished it. Bounded: the oldest streams are forgotten past `capacity`.
 */
export class StreamLedger {
  readonly #streams = new Map<string, StreamRecord>();

  /**
   * @param minIntervalMs least time between two frames of one stream
   * @param capacity most streams remembered
   */
  constructor(
    readonly minIntervalMs: number = MIN_STREAM_FRAME_INTERVAL_MS,
    private readonly capacity = 10_000,
  ) {}

  /** Starts a stream with its first frame (index 0) already accepted. */
  open(
    id: string,
    target: string,
    replyTo: string,
    content: string,
    done: boolean,
    now: number,
  ): StreamRecord {
    const record: StreamRecord = {
      id,
      target,
      replyTo,
      nextIndex: 1,
      lastFrameAt: now,
      closed: done,
      content,
    };
    this.#streams.set(id, record);
    for (const oldest of this.#streams.keys()) {
      if (this.#streams.size <= this.capacity) break;
      this.#streams.delete(oldest);
    }
    return record;
  }

  /** The stream with this id, if remembered. */
  get(id: string): StreamRecord | undefined {
    return this.#streams.get(id);
  }

  /** Why a continuing frame would be refused, or `undefined` when it is acceptable. */
  check(attempt: StreamFrameAttempt, now: number): StreamViolation | undefined {
    const record = this.#streams.get(attempt.streamId);
    if (!record) return 'unknown-stream';
    if (record.target !== attempt.target || record.replyTo !== attempt.replyTo) return 'other-conversation';
    if (record.closed) return 'closed';
    if (attempt.index !== record.nextIndex) return 'index-order';
    if (now - record.lastFrameAt < this.minIntervalMs) return 'too-fast';
    return undefined;
  }

  /** Records an accepted continuing frame. */
  advance(record: StreamRecord, content: string, done: boolean, now: number): void {
    record.nextIndex += 1;
    record.lastFrameAt = now;
    record.content = content;
    record.closed = done;
  }
}
