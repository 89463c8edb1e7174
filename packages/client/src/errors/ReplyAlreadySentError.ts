import { BotError } from '@bot/core';
import type { ApiError } from '@bot/http';

/**
 * A reply was refused because its message was already answered elsewhere: the platform refused
 * its `msg_seq` as used (code `40054005`), and this client had not used that number for the
 * message (nor forgotten the message's numbers), so another process, or an earlier run of this
 * bot, replied to the same message under it. Most often the same event was handled twice: a
 * webhook delivery whose answer was lost and which the platform sent again to a fresh process, an
 * event replayed after a resume, or several instances receiving one event (docs/protocol.md §8.3).
 * Nothing was sent by this call, and the reply is not sent again under another number, which
 * would show the user the same answer twice.
 *
 * Nothing needs doing for a redelivered event: the first reply stands. Where several processes
 * reply to one message on purpose, `ClientBuilder.replyNumbering('skipTaken')` sends such a reply
 * under the next free number instead.
 */
export class ReplyAlreadySentError extends BotError {
  public readonly kind = 'replyAlreadySent' as const;
  /** `false`: the platform refused the number, so this call sent nothing. */
  public readonly mayHaveBeenSent = false as const;
  /** The platform's refusal of the number (code `40054005`); also the error's `cause`. */
  public readonly refusal: ApiError;

  /**
   * @param messageId - the inbound message (or event) id replied to
   * @param msgSeq - the number refused: the one the other reply was sent under
   * @param scene - where the reply went, read off the refused request's route (`undefined` for a
   *   route of neither scene)
   * @param refusal - the platform's refusal, kept as `cause`
   */
  public constructor(
    public readonly messageId: string,
    public readonly msgSeq: number,
    public readonly scene: 'group' | 'c2c' | undefined,
    refusal: ApiError,
  ) {
    const where = scene === undefined ? 'message' : `${scene} message`;
    const trace = refusal.traceId === undefined ? '' : `, trace ${refusal.traceId}`;
    super(
      `reply to ${where} ${messageId} not sent: another process or an earlier run already replied ` +
        `to it with msg_seq ${msgSeq} (the platform refused the number as used, code ${refusal.code}` +
        `${trace}, and this client had not used it); the event was probably delivered twice. ` +
        'Nothing needs doing if it was a redelivery: the first reply stands. If several processes ' +
        'reply to one message on purpose, set ClientBuilder.replyNumbering("skipTaken") to send ' +
        'under the next free number instead',
      { cause: refusal },
    );
    this.refusal = refusal;
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    replyAlreadySent: ReplyAlreadySentError;
  }
}
