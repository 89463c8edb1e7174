import { ValidationError } from '@bot/core';
import { platformText } from '../util/platformText.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
/** What an AppID may hold: visible ASCII, which any header carries as it is (docs/protocol.md §1.4). */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

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
   * @throws {@link ValidationError} when either is missing or blank, or when the AppID holds a
   *   character other than visible ASCII (a space, a line break left by a file or an environment
   *   variable, a control character): the AppID travels in a request header, where such a
   *   character would fail every call
   */
  public constructor(
    public readonly appId: string,
    secret: string,
  ) {
    if (typeof appId !== 'string' || appId.trim() === '')
      throw new ValidationError('appId', 'must not be empty');
    if (!VISIBLE_ASCII.test(appId))
      throw new ValidationError(
        'appId',
        `must be visible ASCII, as the console shows it (an AppID is digits): no whitespace, line break, ` +
          `control or non-ASCII character (got "${platformText(appId, 40)}"); trim the value read`,
      );
    if (typeof secret !== 'string' || secret.trim() === '')
      throw new ValidationError('secret', 'must not be empty');
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
