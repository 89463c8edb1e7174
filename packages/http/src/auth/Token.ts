import { ValidationError, platformText } from '@bot/core';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
/** What an AppID may hold: visible ASCII, which any header carries as it is (docs/protocol.md §1.4). */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** What to do about a missing or empty AppID: most come from the environment, as in the examples. */
const APP_ID_HINT =
  "pass the bot's AppID from the QQ Bot Open Platform console (the examples read QQ_BOT_APP_ID: set it)";
/** What to do about a missing or empty AppSecret. */
const SECRET_HINT =
  "pass the bot's AppSecret from the QQ Bot Open Platform console (the examples read QQ_BOT_SECRET: set it)";

/**
 * Accepts a credential: a string with a non-blank character. Never shows the value it refuses,
 * which may be a secret; only its kind.
 *
 * @param value - the argument
 * @param field - its name (`appId`, `secret`)
 * @param hint - what to do, ending the message
 * @throws {@link ValidationError} saying whether it is missing, not a string or blank
 */
function requireCredential(value: unknown, field: string, hint: string): void {
  if (value === undefined || value === null)
    throw new ValidationError(field, `is missing (got ${String(value)}): ${hint}`);
  if (typeof value !== 'string')
    throw new ValidationError(field, `must be a string (got a value of type ${typeof value}): ${hint}`);
  if (value.trim() === '') throw new ValidationError(field, `must not be empty: ${hint}`);
}

/**
 * A bot's credentials: its AppID and AppSecret from the QQ Bot Open Platform console.
 *
 * The secret is kept in a private field: it is absent from `JSON.stringify`, `console.log` and
 * string conversion, so a token can be logged or put in an error without leaking.
 *
 * ```ts
 * const token = new Token(process.env.QQ_BOT_APP_ID!, process.env.QQ_BOT_SECRET!);
 * ```
 */
export class Token {
  readonly #secret: string;

  /**
   * @param appId - the bot's AppID
   * @param secret - the bot's AppSecret (`clientSecret` on the wire)
   * @throws {@link ValidationError} when either is missing, not a string or blank (an environment
   *   variable unset or empty: the message names the one the examples read), or when the AppID
   *   holds a character other than visible ASCII (a space, a line break left by a file or an
   *   environment variable, a control character): the AppID travels in a request header, where
   *   such a character would fail every call
   */
  public constructor(
    public readonly appId: string,
    secret: string,
  ) {
    requireCredential(appId, 'appId', APP_ID_HINT);
    if (!VISIBLE_ASCII.test(appId))
      throw new ValidationError(
        'appId',
        `must be visible ASCII, as the console shows it (an AppID is digits): no whitespace, line break, ` +
          `control or non-ASCII character (got "${platformText(appId, 40)}"); trim the value read`,
      );
    requireCredential(secret, 'secret', SECRET_HINT);
    this.#secret = secret;
  }

  /**
   * Reads `QQ_BOT_APP_ID` and `QQ_BOT_SECRET` from an environment.
   *
   * @param env - where to read from; `process.env` by default
   * @returns the token, or `undefined` when either variable is unset or empty
   */
  public static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Token | undefined {
    const appId = env['QQ_BOT_APP_ID'];
    const secret = env['QQ_BOT_SECRET'];
    return appId && secret ? new Token(appId, secret) : undefined;
  }

  /** The AppSecret. Read it only to authenticate or to derive the webhook signing key. */
  public get secret(): string {
    return this.#secret;
  }

  /** A printable form without the secret. */
  public toString(): string {
    return `Token(${this.appId})`;
  }

  /** JSON form without the secret. */
  public toJSON(): { appId: string } {
    return { appId: this.appId };
  }

  /** `util.inspect` (and so `console.log`) form without the secret. */
  public [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * Accepts a {@link Token}, or an object holding a string `appId` and `secret` as one does (a token
 * made by a second copy of this package), for the options that take one.
 *
 * @param value - the option's value
 * @param field - the option's name (`token`)
 * @returns the value, unchanged
 * @throws {@link ValidationError} saying whether it is missing or not a token, and what to pass;
 *   never showing the value, which may hold a secret
 */
export function requireToken(value: unknown, field: string): Token {
  const todo =
    'pass new Token(appId, secret); Token.fromEnv() gives undefined when QQ_BOT_APP_ID or QQ_BOT_SECRET is unset or empty';
  if (value === undefined || value === null)
    throw new ValidationError(field, `is missing (got ${String(value)}): ${todo}`);
  if (value instanceof Token) return value;
  const fields = value as { appId?: unknown; secret?: unknown };
  if (typeof value === 'object' && typeof fields.appId === 'string' && typeof fields.secret === 'string')
    return value as Token;
  const got =
    typeof value === 'object'
      ? 'an object without a string appId and secret'
      : `a value of type ${typeof value}`;
  throw new ValidationError(field, `must be a Token (got ${got}): ${todo}`);
}
