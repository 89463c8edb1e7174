import { BotError, type InteractionAckCode } from '@bot/core';

/**
 * `interaction.ack()` was called for an interaction that is already acknowledged (or whose
 * acknowledgement is in flight). The platform shows the user the first outcome only, so a second
 * call is a bug in the handler: acknowledge once, with the code that describes the outcome.
 */
export class InteractionAckError extends BotError {
  public readonly kind = 'interactionAck' as const;

  /**
   * @param interactionId - the interaction's id
   * @param firstCode - the code of the acknowledgement already sent
   */
  public constructor(
    public readonly interactionId: string,
    public readonly firstCode: InteractionAckCode,
  ) {
    super(
      `interaction ${interactionId} is already acknowledged (code ${firstCode}): ` +
        'acknowledge each interaction once, with the code that describes the outcome',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    interactionAck: InteractionAckError;
  }
}
