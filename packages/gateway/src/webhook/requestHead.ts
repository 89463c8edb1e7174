import type { IncomingMessage } from 'node:http';
import { readSignatureHeaders, type SignatureHeaders } from './signatureHeaders.js';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/** What a receiver checks of a request's head, fixed when the receiver is built. */
export interface HeadRules {
  /** The only path served, or `undefined` for any. */
  readonly path: string | undefined;
  /** The bot's app id, or `undefined` to accept any `X-Bot-Appid`. */
  readonly appId: string | undefined;
  /** How far a signature's timestamp may be from now, in seconds. */
  readonly timestampToleranceSeconds: number;
  /** Back-pressure: `true` while deliveries are to be refused unread. */
  readonly busy: (() => boolean) | undefined;
}

/** What a busy receiver asks the platform to wait; it retries on its own schedule anyway. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/** What a request target is resolved against: only its path is compared. */
const RECEIVER_BASE = 'http://receiver';

/**
 * Everything decided from the request head alone, before the body costs anything: method, path,
 * app id, the signature headers' form and timestamp window, then whether the consumer is busy.
 *
 * @param request - the request, body not yet read
 * @param rules - the receiver's rules
 * @returns the signature headers, or `undefined` for an unsigned request (only a URL validation may be one)
 * @throws {@link WebhookRefusedError} `methodNotAllowed`, `unknownPath`, `wrongAppId`, a signature
 *   header refusal, or `overloaded`
 */
export function checkRequestHead(request: IncomingMessage, rules: HeadRules): SignatureHeaders | undefined {
  if (request.method !== 'POST')
    throw new WebhookRefusedError('methodNotAllowed', `method ${request.method ?? '?'} not allowed`);
  if (rules.path !== undefined && pathOf(request.url ?? '/') !== rules.path)
    throw new WebhookRefusedError('unknownPath', 'unknown path');
  const appId = request.headers['x-bot-appid'];
  if (rules.appId !== undefined && appId !== undefined && appId !== rules.appId)
    throw new WebhookRefusedError('wrongAppId', 'delivery for another app id');
  const signed = readSignatureHeaders(request, rules.timestampToleranceSeconds, Date.now());
  if (rules.busy?.() === true)
    throw new WebhookRefusedError('overloaded', 'busy with earlier deliveries: retry later', {
      retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
    });
  return signed;
}

/**
 * The path a request targets, or `undefined` when no URL parser takes it (`//`, which reads as a
 * URL with an empty host): the client chose it, so it is an unknown path, not the receiver's fault.
 */
function pathOf(target: string): string | undefined {
  return URL.canParse(target, RECEIVER_BASE) ? new URL(target, RECEIVER_BASE).pathname : undefined;
}
