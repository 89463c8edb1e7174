import { createHash } from 'node:crypto';
import { isIP, type LookupFunction } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import got, { RequestError, TimeoutError } from 'got';
import { ERROR_BODY_QUOTE, MAX_ERROR_BODY } from './mediaLimits.js';
import { guardedLookup, internalAddress, internalHost, InternalHostRefusal } from './partUrlPolicy.js';
import { isBotError, messageOf, platformText } from '@bot/core';

/**
 * The client of the presigned part URLs: a storage host, not the API, so none of the REST
 * client's headers (no `Authorization`, no `X-Union-Appid`), no redirects, no retries of got's
 * own (the uploader retries a part as a whole).
 */
const storage = got.extend({
  retry: { limit: 0 },
  throwHttpErrors: false,
  followRedirect: false,
});

/** A part PUT that did not store the part. */
export class PartPutFailure extends Error {
  /**
   * @param problem - what happened, as a phrase
   * @param retryable - whether another attempt may succeed (network, timeout, 5xx, 429)
   * @param status - the storage host's HTTP status, when it answered
   * @param cause - the underlying error
   */
  public constructor(
    problem: string,
    public readonly retryable: boolean,
    public readonly status?: number,
    cause?: unknown,
  ) {
    super(problem, { cause });
  }
}

/** Where a part PUT may connect to. */
export interface PartNetwork {
  /**
   * Whether a host name may resolve to loopback, the unspecified address or a cloud metadata
   * service, and an internal address be the URL's host (the API itself is on an internal host, as
   * a local emulator). By default only when the URL names an internal host itself, which
   * `partUrlProblem` takes only from such an API.
   */
  allowInternal?: boolean;
  /** The resolver asked for the host's addresses (`dns.lookup` by default). */
  lookup?: LookupFunction;
}

/**
 * PUTs one part to its presigned URL, hashing the bytes on their way out.
 *
 * @param url - the presigned URL
 * @param body - the part's bytes, or a stream of them
 * @param length - the part's size, sent as `Content-Length`
 * @param timeout - the most the PUT may take, in ms
 * @param signal - ends the PUT wherever it is
 * @param onSent - told the bytes of this attempt on the wire so far
 * @param network - where the PUT may connect: a host name resolving to loopback, the unspecified
 *   address or a cloud metadata service is refused unless allowed
 * @returns the hex MD5 of the bytes sent
 * @throws {@link PartPutFailure} when the part was not stored; the framework error the body's stream
 *   failed with (a file cut short: `MediaUploadError` of stage `source`); the signal's reason when aborted;
 *   a {@link PartPutFailure} not to retry, its cause an {@link InternalHostRefusal}, when the host
 *   name resolved to such an address, or the host is an internal address while `network.allowInternal`
 *   is `false`
 */
export async function putPart(
  url: string,
  body: Buffer | Readable,
  length: number,
  timeout: number,
  signal: AbortSignal,
  onSent?: (bytes: number) => void,
  network: PartNetwork = {},
): Promise<string> {
  const md5 = createHash('md5');
  /** Why the part's bytes could not be read, if they could not: the source's failure, not the network's. */
  let bodyFailure: unknown;
  let sent: Buffer | Readable;
  if (Buffer.isBuffer(body)) {
    md5.update(body);
    sent = body;
  } else {
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        callback(null, chunk);
      },
    });
    body.on('error', (error) => {
      bodyFailure = error;
      hashing.destroy(error);
    });
    sent = body.pipe(hashing);
  }
  try {
    const named = namedInternalAddress(url, network);
    if (named !== undefined) throw named;
    const request = storage.stream.put(url, {
      body: sent,
      headers: { 'content-length': String(length), 'content-type': 'application/octet-stream' },
      timeout: { request: timeout },
      signal,
      ...lookupFor(url, network),
    });
    if (onSent !== undefined) request.on('uploadProgress', (progress) => onSent(progress.transferred));
    const { status, head } = await readAnswer(request);
    if (status >= 200 && status < 300) return md5.digest('hex');
    // The host's text as the platform's is quoted elsewhere: escaped, so it cannot forge a log line.
    const detail = platformText(head.trim(), ERROR_BODY_QUOTE);
    throw new PartPutFailure(
      `the storage host answered ${status}${detail === '' ? '' : ` (${detail})`}`,
      status >= 500 || status === 429 || status === 408,
      status,
    );
  } catch (error) {
    if (!Buffer.isBuffer(body)) body.destroy();
    if (signal.aborted) throw signal.reason;
    if (error instanceof PartPutFailure) throw error;
    const refusal = refusalIn(error);
    if (refusal !== undefined) throw new PartPutFailure(refusal.message, false, undefined, refusal);
    if (isBotError(bodyFailure)) throw bodyFailure;
    if (error instanceof TimeoutError)
      throw new PartPutFailure(
        `the PUT took longer than partTimeout (${timeout} ms)`,
        true,
        undefined,
        error,
      );
    const reason = error instanceof RequestError ? (error.code ?? error.message) : messageOf(error);
    throw new PartPutFailure(`the PUT failed on the network: ${reason}`, true, undefined, error);
  }
}

/** got's `dnsLookup` for the PUT: the resolver guarded unless internal addresses are allowed. */
function lookupFor(url: string, network: PartNetwork): { dnsLookup?: LookupFunction } {
  if (!allowsInternal(url, network)) return { dnsLookup: guardedLookup(network.lookup) };
  return network.lookup === undefined ? {} : { dnsLookup: network.lookup };
}

/**
 * The refusal of an internal address the URL gives as its host when internal addresses are not
 * allowed: Node asks no lookup for an address, so the guarded one cannot see it.
 */
function namedInternalAddress(url: string, network: PartNetwork): InternalHostRefusal | undefined {
  if (network.allowInternal !== false) return undefined;
  const { hostname } = new URL(url);
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const range = isIP(host) === 0 ? undefined : internalAddress(host);
  return range === undefined ? undefined : new InternalHostRefusal(host, host, range);
}

/** Whether the PUT may connect to an internal address: allowed, or the URL names one itself. */
function allowsInternal(url: string, network: PartNetwork): boolean {
  if (network.allowInternal !== undefined) return network.allowInternal;
  return internalHost(new URL(url).hostname) !== undefined;
}

/** The refusal of an internal address that failed the request, if that is what did. */
function refusalIn(error: unknown): InternalHostRefusal | undefined {
  if (error instanceof InternalHostRefusal) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof InternalHostRefusal ? cause : undefined;
}

/**
 * The storage host's status and the start of its answer: a 2xx body is read to its end and
 * dropped, an error body is kept up to {@link MAX_ERROR_BODY} bytes and the rest left unread
 * (the request is ended), so a host answering without end cannot fill memory.
 */
function readAnswer(request: Readable): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const kept: Buffer[] = [];
    let size = 0;
    const finish = (): void => resolve({ status, head: Buffer.concat(kept).toString('utf8') });
    request.once('response', (response: { statusCode: number }) => {
      status = response.statusCode;
    });
    request.on('data', (chunk: Buffer) => {
      if (status >= 200 && status < 300) return;
      kept.push(chunk.subarray(0, MAX_ERROR_BODY - size));
      size += Math.min(chunk.length, MAX_ERROR_BODY - size);
      if (size >= MAX_ERROR_BODY) {
        request.destroy();
        finish();
      }
    });
    request.once('end', finish);
    request.once('error', reject);
  });
}
