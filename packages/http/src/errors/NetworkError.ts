import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice, wasNeverSent } from './delivery.js';

/**
 * The request failed below HTTP: it got no answer (DNS failure, refused or reset connection, TLS
 * error), or an answer came that could not be read (one the HTTP parser refused, `HPE_…`, or a
 * body that would not decompress, `Z_…`); the message says which. It also says what to do: for a
 * failure before anything was sent (refused connection, DNS), check the address, DNS and the
 * network; for a POST that may have reached the platform, check whether it took effect before
 * sending it again.
 */
export class NetworkError extends BotError {
  public readonly kind = 'network' as const;
  /**
   * Whether the request may have reached the platform: `false` only for failures before it left
   * the machine (connection refused, DNS) of a call no earlier attempt of which may have landed;
   * re-sending it cannot duplicate anything.
   */
  public readonly mayHaveBeenSent: boolean;
  /**
   * Scheme, host and port the request went to (`https://bots.qq.com`), so a client pointed at the
   * wrong host shows which one it tried; `undefined` when the error was made without its URL.
   */
  public readonly origin: string | undefined;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param reason - the system error code or message (`ECONNREFUSED`, …)
   * @param cause - the underlying error
   * @param url - the address the request went to, with the route template as its path
   *   (`https://api.sgroup.qq.com/channels/{channel_id}/messages`): the message names it in place
   *   of `route` (without credentials or query), and `origin` is taken from it
   * @param mayHaveBeenSent - whether the request may have reached the platform; by default, unless
   *   `reason` is a failure before it left the machine. A call whose earlier attempt may have
   *   landed passes `true` whatever its last attempt met.
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly reason: string,
    cause?: unknown,
    url?: string,
    mayHaveBeenSent = !wasNeverSent(reason),
  ) {
    const target = url === undefined ? undefined : shownTarget(url);
    const advice = mayHaveBeenSent
      ? repeatAdvice(method, route, true)
      : 'nothing was sent: check the address (baseUrl or tokenUrl), DNS and the network';
    const what = UNREADABLE_ANSWER.test(reason)
      ? 'got an answer that could not be read'
      : 'failed on the network';
    super(
      `${method} ${target?.text ?? route} ${what}: ${reason}` + (advice === undefined ? '' : `; ${advice}`),
      { cause },
    );
    this.origin = target?.origin;
    this.mayHaveBeenSent = mayHaveBeenSent;
  }
}

/** Reasons of an answer that came but could not be read: the HTTP parser's, or zlib's. */
const UNREADABLE_ANSWER = /^(?:HPE_|Z_)/;

/**
 * `url` as an error may show it: its origin and path as written (a template's braces stay
 * readable), without the user name, password, query or fragment it may carry.
 */
function shownTarget(url: string): { text: string; origin: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const { origin } = new URL(url);
  const path = url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/, 1)[0] ?? '';
  return { text: origin + path, origin };
}

declare module '@bot/core' {
  interface BotErrorKinds {
    network: NetworkError;
  }
}
