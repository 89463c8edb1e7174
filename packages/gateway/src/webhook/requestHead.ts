import type { IncomingMessage } from 'node:http';
import { quotedValue } from '@bot/core';
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
  /** `true` once the application stops: deliveries are refused unread, saying so. */
  readonly shuttingDown: (() => boolean) | undefined;
  /** Back-pressure: `true` while deliveries are to be refused unread. */
  readonly busy: (() => boolean) | undefined;
}

/** What a busy receiver asks the platform to wait; it retries on its own schedule anyway. */
const BUSY_RETRY_AFTER_SECONDS = 1;
/**
 * What a receiver shutting down asks the platform to wait: as short, since a restarted instance
 * or another behind the same URL may take the delivery soon.
 */
const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 1;

/** How much of a `Content-Encoding` header a refusal quotes. */
const QUOTED_ENCODING_LENGTH = 40;

/** How much of a request's path a refusal quotes. */
const QUOTED_PATH_LENGTH = 100;

/** What a request target is resolved against: only its path is compared. */
const RECEIVER_BASE = 'http://receiver';

/**
 * Everything decided from the request head alone, before the body costs anything: method, path,
 * app id, content coding, the signature headers' form and timestamp window, then whether the
 * application is shutting down or the consumer busy.
 *
 * @param request - the request, body not yet read
 * @param rules - the receiver's rules
 * @returns the signature headers, or `undefined` for an unsigned request (only a URL validation may be one)
 * @throws {@link WebhookRefusedError} `methodNotAllowed`, `unknownPath`, `wrongAppId`,
 *   `unsupportedEncoding`, a signature header refusal, `shuttingDown` or `overloaded`
 */
export function checkRequestHead(request: IncomingMessage, rules: HeadRules): SignatureHeaders | undefined {
  if (request.method !== 'POST')
    throw new WebhookRefusedError('methodNotAllowed', `method ${request.method ?? '?'} not allowed`);
  if (rules.path !== undefined) {
    const target = request.url ?? '/';
    if (pathOf(target) !== rules.path) throw unknownPath(target);
  }
  const appId = request.headers['x-bot-appid'];
  if (rules.appId !== undefined && appId !== undefined && appId !== rules.appId)
    throw new WebhookRefusedError('wrongAppId', 'delivery for another app id');
  checkContentEncoding(request.headers['content-encoding']);
  const signed = readSignatureHeaders(request, rules.timestampToleranceSeconds, Date.now());
  // Before `busy`: a busy receiver that is also shutting down is not going to catch up.
  if (rules.shuttingDown?.() === true) throw shuttingDownRefusal();
  if (rules.busy?.() === true)
    throw new WebhookRefusedError('overloaded', 'busy with earlier deliveries: retry later', {
      retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
    });
  return signed;
}

/**
 * The refusal of a delivery while the application shuts down: 503 with `Retry-After`, for the
 * platform to deliver it again, whether its head or only its body came once the shutdown began.
 */
export function shuttingDownRefusal(): WebhookRefusedError {
  return new WebhookRefusedError('shuttingDown', 'shutting down: retry later', {
    retryAfterSeconds: SHUTTING_DOWN_RETRY_AFTER_SECONDS,
  });
}

/**
 * Refuses a body sent with a content coding. The signature covers the bytes the platform sent, so
 * a body compressed on its way would not verify, and a plain one claiming a coding was changed by
 * something that cannot be trusted to have left it whole. The platform's documentation
 * (docs/protocol.md §9) says nothing of compressed deliveries, and the emulator sends none: that
 * the platform sends plain bodies is assumed, not documented. `identity` (or an empty header) is no
 * coding at all.
 *
 * @param header - the request's `Content-Encoding`, if any
 * @throws {@link WebhookRefusedError} `unsupportedEncoding` naming the coding
 */
function checkContentEncoding(header: string | undefined): void {
  if (header === undefined) return;
  const codings = header.split(',').map((coding) => coding.trim().toLowerCase());
  if (codings.every((coding) => coding === '' || coding === 'identity')) return;
  throw new WebhookRefusedError(
    'unsupportedEncoding',
    `the body came with Content-Encoding ${quotedValue(header, QUOTED_ENCODING_LENGTH)}: the signature covers the exact bytes the platform sent, so a proxy in front must pass the body on unchanged, neither compressed nor re-encoded`,
  );
}

/**
 * The refusal of a request for another path, quoting the path as it came (cut short, escaped; its
 * query left out, as it may carry anything), so that a prefix a proxy kept or a trailing slash it
 * added shows. The path served is not named: the answer goes to whoever asked.
 *
 * @param target - the request target
 */
function unknownPath(target: string): WebhookRefusedError {
  const path = target.split(/[?#]/, 1)[0] ?? target;
  return new WebhookRefusedError('unknownPath', `unknown path ${quotedValue(path, QUOTED_PATH_LENGTH)}`);
}

/**
 * The path a request targets, or `undefined` when no URL parser takes it (`//`, which reads as a
 * URL with an empty host): the client chose it, so it is an unknown path, not the receiver's fault.
 */
function pathOf(target: string): string | undefined {
  return URL.canParse(target, RECEIVER_BASE) ? new URL(target, RECEIVER_BASE).pathname : undefined;
}
