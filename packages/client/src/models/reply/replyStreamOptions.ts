import type { PendingAudit } from '@bot/http';
import type { ReplyOptions } from './replyRules.js';

/** Default least time between two frames: the official SDK's 500 ms (docs/protocol.md §15.1). */
export const DEFAULT_STREAM_INTERVAL_MS = 500;
/** Shortest interval accepted: the official SDK's floor, 300 ms (§15.1). */
export const MIN_STREAM_INTERVAL_MS = 300;
/**
 * Default longest text of one stream, in characters (Unicode code points: an emoji is one); the
 * platform documents no length.
 */
export const DEFAULT_STREAM_MAX_LENGTH = 20_000;
/**
 * Default longest time a stream stays open without a `write()`: 60 s. A stream nobody ends would
 * stay "generating" for the user; after this long it is aborted and closed with its text.
 */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;

/** Settings of one streamed reply. */
export interface ReplyStreamOptions extends ReplyOptions {
  /** Least time between two frames, in ms: {@link DEFAULT_STREAM_INTERVAL_MS}, at least {@link MIN_STREAM_INTERVAL_MS}. */
  intervalMs?: number | undefined;
  /**
   * Longest text the stream accepts, in characters counted as Unicode code points, so an emoji is
   * one ({@link DEFAULT_STREAM_MAX_LENGTH}).
   */
  maxLength?: number | undefined;
  /** How C2C clients render the text: `'markdown'` (default, as the official SDK) or `'text'`. */
  contentType?: 'markdown' | 'text' | undefined;
  /**
   * How long the stream may go without a `write()` before it is aborted (failure `'idle'`) and
   * closed with the text so far, in ms: {@link DEFAULT_STREAM_IDLE_TIMEOUT_MS}, at least 1.
   */
  idleTimeoutMs?: number | undefined;
}

/** Where a stream is: taking text, finishing, or over (done, aborted, failed). */
export type ReplyStreamState = 'open' | 'ending' | 'done' | 'aborted' | 'failed';

/** What a finished stream sent. */
export interface ReplyStreamResult {
  /**
   * The text sent: all of it, or `''` when it was blank (only whitespace), in which case nothing
   * was sent (the platform refuses an empty message, code 50006) and `frames` is 0.
   */
  text: string;
  /** Frames sent: one per flush in C2C, 1 for the one-message fallback, 0 when nothing was sent. */
  frames: number;
  /** The platform's id of the stream (C2C), or `undefined`. */
  streamId: string | undefined;
  /**
   * Whether the reply was shown as it grew (C2C) rather than sent once at the end; `false` when
   * nothing was shown (a C2C stream ended blank).
   */
  streamed: boolean;
  /**
   * The platform held the one message of a group or guild stream for audit (as `reply()` would
   * answer): its `auditId` is named by the `MESSAGE_AUDIT_PASS` / `MESSAGE_AUDIT_REJECT` event
   * that decides it. `undefined` when the reply was sent as it is.
   */
  pendingAudit: PendingAudit | undefined;
}
