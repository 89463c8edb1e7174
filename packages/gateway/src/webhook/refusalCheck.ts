import type { IncomingMessage } from 'node:http';
import type { WebhookRefusedError } from './WebhookRefusedError.js';

/** What {@link refusalCheck} needs of the receiver's settings to say what to check. */
export interface RefusalContext {
  /** The path the receiver serves, if one. */
  readonly path: string | undefined;
  readonly maxBodyBytes: number;
  readonly timestampToleranceSeconds: number;
}

/** What to check after a signed delivery that could not be read: the event is lost. */
export const UNREADABLE_DELIVERY_CHECK =
  "a delivery signed with this bot's key could not be read, so its event is lost: check what sits between the platform and the receiver, and report it if nothing there alters bodies";

/**
 * What the operator should check after `refusal`, or `undefined` when it says nothing about the
 * bot's set-up. A request that carries the platform's signature headers, or names an app id, is
 * taken to come from the platform (or from something in between): its refusal means lost events,
 * and says what to fix. A request without them (another method, another path, an unsigned body)
 * is what scanners and stray clients send all day; it is refused without a report.
 *
 * A signed delivery that fails to parse (`malformedDelivery`) is not judged here: only once its
 * signature verified is it the platform's, see {@link UNREADABLE_DELIVERY_CHECK}.
 *
 * @param refusal - what was refused
 * @param request - the refused request (only its head is read)
 * @param context - the receiver's settings
 */
export function refusalCheck(
  refusal: WebhookRefusedError,
  request: IncomingMessage,
  context: RefusalContext,
): string | undefined {
  switch (refusal.code) {
    case 'badSignature':
      return "the signature does not verify with the key derived from this receiver's secret: check that the receiver has the AppSecret of the bot whose callback URL points here (after the AppSecret is reset on the platform, the new one)";
    case 'staleTimestamp':
      return `check this machine's clock (time synchronisation): deliveries signed now must read as at most ${context.timestampToleranceSeconds} s away; old deliveries sent again are refused the same way`;
    case 'wrongAppId':
      return "deliveries for another bot arrive here: check which bot's callback URL points to this receiver, and the app id it was given";
    case 'unknownPath':
      return hasSignatureHeaders(request)
        ? `a signed delivery came for a path other than '${context.path ?? '/'}': check the path of the callback URL configured on the platform`
        : undefined;
    case 'missingSignature':
      return request.headers['x-bot-appid'] !== undefined
        ? 'a request naming an app id came without signature headers: check that nothing in front of the receiver (a proxy, a load balancer) drops X-Signature-Ed25519 and X-Signature-Timestamp'
        : undefined;
    case 'malformedSignature':
      return 'check that nothing in front of the receiver (a proxy, a load balancer) rewrites X-Signature-Ed25519 or X-Signature-Timestamp';
    case 'bodyTooLarge':
      return `a signed body exceeded limits.maxBodyBytes (${context.maxBodyBytes}): if the platform sends events this large, raise it`;
    case 'internal':
      return 'a failure of the receiver itself: see the detail and the cause; one they do not explain is a bug to report';
    default:
      // Load (overloaded), network (bodyTimeout, aborted) and unsigned malformed bodies: not a set-up problem.
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
