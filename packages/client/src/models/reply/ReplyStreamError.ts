import { BotError, messageOf } from '@bot/core';

/**
 * Why a streamed reply failed:
 * - `'source'`: the text source (an async iterable) threw; the stream was stopped (a C2C reply
 *   closed with the text received so far, a group or guild one unsent), and `cause` is what the
 *   source threw;
 * - `'send'`: the platform refused a frame or could not be reached; `cause` is the request's error;
 * - `'aborted'`: `abort()` was called before the stream finished; when `Client.shutdown()` did,
 *   `cause` is a `ReplyStreamError` `'shutDown'`;
 * - `'idle'`: nothing was written for the stream's `idleTimeoutMs`, so it was aborted and closed
 *   with the text so far;
 * - `'tooMany'`: the client has too many streams open to start another;
 * - `'shutDown'`: the client shut down, so no stream can start (and, as the `cause` of an
 *   `'aborted'` error, the stream was closed by the shutdown);
 * - `'closed'`: text was written after `end()` or `abort()`;
 * - `'tooLong'`: the text would grow beyond the stream's `maxLength`.
 */
export type ReplyStreamFailure =
  'source' | 'send' | 'aborted' | 'idle' | 'closed' | 'tooLong' | 'tooMany' | 'shutDown';

/**
 * A streamed reply (`message.replyStream()`) could not go on; `failure` says why. A reply window
 * found closed during a stream is not this error: the stream fails with the
 * `ReplyWindowClosedError` itself.
 */
export class ReplyStreamError extends BotError {
  public readonly kind = 'replyStream' as const;
  /**
   * Why the closing frame failed, for a stream aborted or failed after its user saw it: that user
   * may still see the reply "generating". Set by the stream before `end()` rejects; `undefined`
   * when the stream was closed for its user, or had shown nothing.
   */
  public closeError: unknown = undefined;
  /**
   * For a `'send'` failure, whether any of this reply may have reached the user: `true` once an
   * earlier frame of a streamed reply landed (sending the reply again would show it twice);
   * otherwise as the failed request's `cause` says (a 5xx or a connection lost after sending:
   * `true`; a refusal or a failure before sending: `false`), and `true` without a cause, an answer
   * the stream could not use. `undefined` for the other failures, which end no request that went
   * out.
   */
  public readonly mayHaveBeenSent: boolean | undefined;

  /**
   * @param failure - what went wrong
   * @param message - what happened and what to do
   * @param cause - the underlying error, for `'source'` and `'send'`
   * @param shown - for `'send'`: an earlier frame of a streamed reply landed
   */
  public constructor(
    public readonly failure: ReplyStreamFailure,
    message: string,
    cause?: unknown,
    shown = false,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.mayHaveBeenSent = failure === 'send' ? shown || causeMayHaveBeenSent(cause) : undefined;
  }
}

/**
 * What the cause of a `'send'` failure says about its request: its own `mayHaveBeenSent`, `false`
 * for a `ValidationError` (refused before any request), and `true` when it cannot tell (no cause,
 * or an error that does not say): a caller checks before sending again rather than repeat a reply.
 */
function causeMayHaveBeenSent(cause: unknown): boolean {
  if (cause instanceof BotError && cause.kind === 'validation') return false;
  const said =
    typeof cause === 'object' && cause !== null ? Reflect.get(cause, 'mayHaveBeenSent') : undefined;
  return typeof said === 'boolean' ? said : true;
}

/**
 * What the user was left with by a stream stopped before `end()`: a streamed (C2C) reply is
 * closed with its text, or showed nothing when no frame went out; the one-message fallback of
 * groups and guilds sends nothing (docs/protocol.md §15.3).
 *
 * @param streamed - whether the stream shows frames as they grow
 * @param shown - whether a frame of a streamed reply went out (so the user sees something)
 */
export function leftWith(streamed: boolean, shown = true): string {
  if (!streamed) return 'nothing was sent (groups and guilds get the text only when the stream ends)';
  return shown ? 'the user sees the text written so far' : 'nothing was shown to the user';
}

/** The errors of a stream, each with what happened and what to do. */
export const streamErrors = {
  /** Text past `maxLength`. */
  tooLong: (maxLength: number): ReplyStreamError =>
    new ReplyStreamError(
      'tooLong',
      `the streamed reply would grow past ${maxLength} characters; end it and continue in ` +
        'another reply, or raise maxLength',
    ),
  /** `abort()` was called; `streamed` and `shown` as in {@link leftWith}. */
  aborted: (reason: unknown, streamed = true, shown = true): ReplyStreamError =>
    new ReplyStreamError(
      'aborted',
      `the streamed reply was aborted${reason === undefined ? '' : `: ${messageOf(reason)}`}; ` +
        leftWith(streamed, shown),
      reason,
    ),
  /** Nothing written for `idleTimeoutMs`; `streamed` and `shown` as in {@link leftWith}. */
  idle: (idleTimeoutMs: number, streamed = true, shown = true): ReplyStreamError =>
    new ReplyStreamError(
      'idle',
      `nothing was written to the streamed reply for ${idleTimeoutMs} ms, so it was stopped: ` +
        `${leftWith(streamed, shown)}; end() every stream, or raise idleTimeoutMs`,
    ),
  /** A frame failed after `frames` landed; `streamed` says whether frames were shown as they grew. */
  frameFailed: (frames: number, error: unknown, streamed = true): ReplyStreamError =>
    new ReplyStreamError(
      'send',
      `a frame of the streamed reply failed after ${frames} frame(s): ${messageOf(error)}; ` +
        (!streamed
          ? 'its one message was not sent, or not known to be'
          : frames > 0
            ? 'the stream was closed with the text written so far, if it could be'
            : // A first frame whose answer was lost may have landed; its stream id is unknown then.
              'nothing was shown to the user, unless the first frame landed although its answer was lost'),
      error,
      streamed && frames > 0,
    ),
  /** The client shut down: why its open streams were aborted, and why a new one is refused. */
  shutDown: (): ReplyStreamError =>
    new ReplyStreamError(
      'shutDown',
      'the client shut down: streamed replies still open were closed (a C2C stream with the text ' +
        'written so far; a group or guild one, which sends only on end(), without a message), and ' +
        'no new one can start; reply before calling shutdown()',
    ),
  /** Text written to a stream that is over. */
  closed: (state: string): ReplyStreamError =>
    new ReplyStreamError(
      'closed',
      `the streamed reply is ${state}: no more text can be written; start another reply`,
    ),
};

declare module '@bot/core' {
  interface BotErrorKinds {
    replyStream: ReplyStreamError;
  }
}
