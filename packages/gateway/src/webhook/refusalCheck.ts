import type { IncomingMessage } from 'node:http';
import type { WebhookRefusedError } from './WebhookRefusedError.js';

/** What {@link refusalCheck} needs of the receiver's settings to say what to check. */
export interface RefusalContext {
  /** The path the receiver serves, if one. */
  readonly path: string | undefined;
  readonly maxBodyBytes: number;
  readonly timestampToleranceSeconds: number;
}

/**
 * What the operator should check after `refusal`, or `undefined` when it says nothing about the
 * bot's set-up. A request that carries the platform's signature headers, or names an app id, may
 * come from the platform (or through something in between): its refusal may mean lost events, and
 * the check says what to fix if so. Nothing of it was verified, though: anyone who knows the
 * callback URL can send such headers, so every check of a request not verified says so, and none
 * tells the operator to loosen a limit on its word. A request without them (another method,
 * another path, an unsigned body) is what scanners and stray clients send all day; it is refused
 * without a report. A malformed delivery is the platform's only once its signature verified.
 *
 * @param refusal - what was refused
 * @param request - the refused request (only its head is read)
 * @param context - the receiver's settings
 * @param verified - whether the request's signature verified before it was refused
 */
export function refusalCheck(
  refusal: WebhookRefusedError,
  request: IncomingMessage,
  context: RefusalContext,
  verified: boolean,
): string | undefined {
  switch (refusal.code) {
    case 'badSignature':
      return "the signature does not verify over the body received with the key derived from this receiver's secret: if the platform sent it, either the receiver has another AppSecret than the bot whose callback URL points here (after the AppSecret is reset on the platform, give it the new one), or the body was changed between the platform and the receiver: check that a proxy or load balancer in front passes it on unchanged, byte for byte, without re-encoding the JSON or compressing it";
    case 'staleTimestamp':
      return `a request carrying signature headers (not verified) has a timestamp more than ${context.timestampToleranceSeconds} s away: if the platform sent it, check this machine's clock (time synchronisation); old deliveries sent again are refused the same way`;
    case 'wrongAppId':
      return "a request naming another bot's app id (not verified) arrived: if the platform sent it, check which bot's callback URL points to this receiver, and the app id it was given";
    case 'unknownPath':
      return hasSignatureHeaders(request)
        ? `a request carrying signature headers (not verified) came for a path other than '${context.path ?? '/'}' (the path received is quoted above): if the platform sent it, check the path of the callback URL configured on the platform, and that a proxy in front strips its own prefix from the path and adds no trailing slash`
        : undefined;
    case 'missingSignature':
      return request.headers['x-bot-appid'] !== undefined
        ? 'a request naming an app id came without signature headers: if the platform sent it, check that nothing in front of the receiver (a proxy, a load balancer) drops X-Signature-Ed25519 and X-Signature-Timestamp'
        : undefined;
    case 'malformedSignature':
      return "a request carried signature headers not in the platform's form: if the platform sent it, check that nothing in front of the receiver (a proxy, a load balancer) rewrites X-Signature-Ed25519 or X-Signature-Timestamp";
    case 'unsupportedEncoding':
      return hasSignatureHeaders(request)
        ? 'a request carrying signature headers (not verified) came with a compressed or otherwise encoded body (Content-Encoding): if the platform sent it, a proxy or load balancer in front changes the body on its way; configure it to pass request bodies on unchanged'
        : undefined;
    case 'bodyTooLarge':
      return `a request carrying signature headers (not verified) declared or sent a body over limits.maxBodyBytes (${context.maxBodyBytes}), so it was refused unread: it may be the platform's or anyone's. Raise the limit only if the platform's events are missing and known to be this large`;
    case 'malformedDelivery':
      return verified
        ? "a delivery signed with this bot's key could not be read, so its event is lost: check what sits between the platform and the receiver, and report it if nothing there alters bodies"
        : undefined;
    case 'internal':
      return 'a failure of the receiver itself: see the detail and the cause; one they do not explain is a bug to report';
    default:
      // Load (overloaded), shutdown (shuttingDown) and network (bodyTimeout, aborted): not a set-up problem.
      return undefined;
  }
}

/** Whether the request carries either of the platform's signature headers. */
function hasSignatureHeaders(request: IncomingMessage): boolean {
  return (
    request.headers['x-signature-ed25519'] !== undefined ||
    request.headers['x-signature-timestamp'] !== undefined
  );
}
