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
  if (rules.path !== undefined && new URL(request.url ?? '/', 'http://receiver').pathname !== rules.path)
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
