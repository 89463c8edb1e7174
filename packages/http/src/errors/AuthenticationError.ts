import { BotError } from '@bot/core';

/** What to do about refused credentials; the framework reads no environment variable itself. */
export const AUTHENTICATION_REMEDY =
  'check the AppID and AppSecret the client was built with (the Token; the examples read them from ' +
  'QQ_BOT_APP_ID and QQ_BOT_SECRET): both must belong to the same bot, with no spaces around them';

/**
 * The platform refused the bot's credentials: a wrong AppID or AppSecret when fetching an access
 * token, or a token rejected again right after a refresh. Never carries the secret or the token.
 * The message ends with what to do ({@link AuthenticationError.remedy}).
 */
export class AuthenticationError extends BotError {
  public readonly kind = 'authentication' as const;
  /** What to do: check the credentials the client was built with. */
  public readonly remedy: string = AUTHENTICATION_REMEDY;

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
    super(
      `authentication failed: code ${code}: ${platformMessage}` +
        (traceId ? ` (trace ${traceId})` : '') +
        `; ${AUTHENTICATION_REMEDY}`,
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    authentication: AuthenticationError;
  }
}
