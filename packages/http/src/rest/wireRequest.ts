import { validateHeaderName, validateHeaderValue } from 'node:http';
import { ValidationError } from '@bot/core';
import { checkMessageBodyBytes } from '../messages/messageBodySize.js';
import { toFormData } from './body.js';
import type { RequestOptions } from './RequestOptions.js';
import { isEndpointCall } from './callSite.js';

// What a call sends, built and checked once before its first attempt: a request that cannot be
// put on the wire (a body JSON cannot encode, a header no HTTP message can carry) is the caller's
// mistake, reported as a ValidationError naming the field, never as a network failure to retry.

/** One call's request as every attempt sends it. */
export interface WireRequest {
  /** The full URL, query included. */
  url: string;
  /** The call's options (method, route, headers, signal, …). */
  options: RequestOptions;
  /** The body as sent: JSON text, a multipart form, or none. */
  payload: string | FormData | undefined;
  /** The largest answer body read, in bytes (the client's `maxResponseBytes`). */
  maxResponseBytes: number;
  /**
   * Sent by an endpoint binding: a 2xx answer must be a JSON object or array (or empty). A raw
   * `request()` takes any JSON, for a route the framework does not know.
   */
  structured: boolean;
}

/**
 * Encodes the call's body and checks its headers, once for all its attempts.
 *
 * @param url - the full URL, query included
 * @param options - the call's options
 * @param maxResponseBytes - the client's `maxResponseBytes`
 * @throws {@link ValidationError} of `body` for a body that cannot be encoded (circular, a
 *   BigInt, nothing JSON can write), of `headers["name"]` for a header name or value an HTTP
 *   message cannot carry (a line break, a control character), of the largest field of a message
 *   body larger than `MAX_MESSAGE_BODY_BYTES` once encoded
 */
export function wireRequest(url: string, options: RequestOptions, maxResponseBytes: number): WireRequest {
  if (options.headers !== undefined) checkHeaders(options.headers);
  return {
    url,
    options,
    payload: encodeBody(options),
    maxResponseBytes,
    structured: isEndpointCall(options),
  };
}

function encodeBody(options: RequestOptions): string | FormData | undefined {
  const { body, files } = options;
  const hasFiles = files !== undefined && Object.keys(files).length > 0;
  if (!hasFiles && body === undefined) return undefined;
  let encoded: string | FormData | undefined;
  try {
    encoded = hasFiles ? toFormData(body, files) : JSON.stringify(body);
  } catch (error) {
    // V8's circular-structure message spans lines: one line reads better in a log.
    const reason = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new ValidationError('body', `cannot be sent as JSON: ${reason}`);
  }
  // A function or a symbol: JSON writes nothing for it.
  if (encoded === undefined)
    throw new ValidationError('body', `cannot be sent as JSON: it is a ${typeof body}`);
  // Measured here, as sent: after every field is in, and without encoding the body again.
  if (typeof encoded === 'string') checkMessageBodyBytes(options, encoded, body);
  return encoded;
}

function checkHeaders(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw new ValidationError(
        `headers[${JSON.stringify(name)}]`,
        `cannot be sent: ${(error as Error).message}`,
      );
    }
  }
}
