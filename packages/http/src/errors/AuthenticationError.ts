import { BotError } from '@bot/core';

/**
 * The platform refused the bot's credentials: a wrong AppID or AppSecret when fetching an access
 * token, or a token rejected again right after a refresh. Never carries the secret or the token.
 */
export class AuthenticationError extends BotError {
  public readonly kind = 'authentication' as const;

  /**
   * @param code - platform code (for example `100016`), or the HTTP status when the body had none
   * @param platformMessage - the platform's explanation
   * @param traceId - trace id of the answer, when present
   */
  public constructor(
    public readonly code: number,
    public readonly platformMessage: string,
    public readonly traceId: string | undefined = undefined,
  ) {
    super(`authentication failed: code ${code}: ${platformMessage}` + (traceId ? ` (trace ${traceId})` : ''));
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    authentication: AuthenticationError;
  }
}
