import { BotError } from '@bot/core';

/**
 * Why a streamed reply failed:
 * - `'source'`: the text source (an async iterable) threw; the stream was closed with the text
 *   received so far, and `cause` is what the source threw;
 * - `'send'`: the platform refused a frame or could not be reached; `cause` is the request's error;
 * - `'aborted'`: `abort()` was called before the stream finished;
 * - `'closed'`: text was written after `end()` or `abort()`;
 * - `'tooLong'`: the text would grow beyond the stream's `maxLength`.
 */
export type ReplyStreamFailure = 'source' | 'send' | 'aborted' | 'closed' | 'tooLong';

/** A streamed reply (`message.replyStream()`) could not go on; `failure` says why. */
export class ReplyStreamError extends BotError {
  public readonly kind = 'replyStream' as const;

  /**
   * @param failure - what went wrong
   * @param message - what happened and what to do
   * @param cause - the underlying error, for `'source'` and `'send'`
   */
  public constructor(
    public readonly failure: ReplyStreamFailure,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    replyStream: ReplyStreamError;
  }
}
