import { BotError } from './BotError.js';

/**
 * An argument was rejected before any request was sent. `field` names the offending parameter
 * (for example `channelId` or `params.content`).
 */
export class ValidationError extends BotError {
  public readonly kind = 'validation' as const;

  /**
   * @param field - the parameter that was wrong
   * @param problem - what was wrong with it, as a phrase ("must not be empty")
   */
  public constructor(
    public readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}
