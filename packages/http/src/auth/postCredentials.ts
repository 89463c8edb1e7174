import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Got, Progress } from 'got';

/**
 * Longest token answer read, in bytes. A token and its lifetime take well under 1 KiB; the cap
 * keeps a misbehaving endpoint or proxy from filling memory (docs/protocol.md §1.2).
 */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;

/** What the token endpoint answered, as far as it was read. */
export interface CredentialsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, or `undefined` when it was not read because it was over {@link MAX_TOKEN_ANSWER_BYTES}. */
  body: string | undefined;
  /** When the body was over the cap: the bytes it announced (`Content-Length`) or read before it was cut. */
  oversize: number | undefined;
}

/** Where and how {@link postCredentials} sends. */
export interface PostCredentials {
  http: Got;
  url: string;
  json: { appId: string; clientSecret: string };
  timeout: number;
  signal: AbortSignal | undefined;
}

/**
 * Sends the credentials to the token URL once, and nowhere else: a redirect is not followed (it
 * would re-send the secret to whatever host it names), and the answer is read up to
 * {@link MAX_TOKEN_ANSWER_BYTES}, then the connection is dropped. Bytes are counted as they arrive,
 * undecompressed (no compression is asked for), so a small compressed body cannot grow past the cap.
 *
 * @throws got's own errors for a timeout, an abort or a network failure
 */
export async function postCredentials(options: PostCredentials): Promise<CredentialsAnswer> {
  const { http, url, json, timeout, signal } = options;
  const request = http.post(url, {
    json,
    responseType: 'text',
    throwHttpErrors: false,
    followRedirect: false,
    decompress: false,
    retry: { limit: 0 },
    timeout: { request: timeout },
    ...(signal === undefined ? {} : { signal }),
  });
  let head: { status: number; headers: IncomingHttpHeaders } | undefined;
  let oversize: number | undefined;
  const refuse = (bytes: number): void => {
    oversize = bytes;
    request.cancel();
  };
  // got's promise reports the response only once its body is read: the head comes from the
  // native request, and the size from the progress events, the first of which carries the
  // announced length.
  request.on('request', (native: ClientRequest) => {
    native.once('response', (response: IncomingMessage) => {
      head = { status: response.statusCode ?? 0, headers: response.headers };
    });
  });
  request.on('downloadProgress', ({ transferred, total }: Progress) => {
    if (oversize !== undefined) return;
    if (total !== undefined && total > MAX_TOKEN_ANSWER_BYTES) refuse(total);
    else if (transferred > MAX_TOKEN_ANSWER_BYTES) refuse(transferred);
  });
  try {
    const response = await request;
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      oversize: undefined,
    };
  } catch (error) {
    if (oversize === undefined || head === undefined) throw error;
    return { ...head, body: undefined, oversize };
  }
}
