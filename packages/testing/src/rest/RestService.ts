import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenRegistry } from '../auth/TokenRegistry.js';
import type { RouteFaults } from '../faults/RouteFaults.js';
import type { ErrorBody } from '../protocol/wire.js';
import type { Recorder } from '../recorder/Recorder.js';
import { maskCredential } from '../recorder/maskCredential.js';
import { readBody, sendJson } from '../server/httpIo.js';
import { isJsonObject, tryParseJson, type JsonObject } from '../util/guards.js';
import type { IdFactory } from '../util/ids.js';
import { ErrorCode } from './errorCodes.js';
import { multipartBoundary, parseMultipart, type MultipartFile } from './multipart.js';
import { RestError } from './RestError.js';
import type { RestResult, Router } from './Router.js';

/** Multipart fields that carry JSON objects as strings. */
const JSON_FIELDS = ['embed', 'ark', 'message_reference', 'markdown', 'keyboard'] as const;

/** What the REST front door needs. */
export interface RestServiceDeps {
  router: Router;
  tokens: TokenRegistry;
  ids: IdFactory;
  recorder: Recorder;
  faults: RouteFaults;
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  onInternalError: (error: unknown) => void;
}

/**
 * The REST front door: trace id, body limits, routing, `QQBot` bearer auth, injected faults,
 * body parsing, the handler, the error shape, and a record of the exchange.
 */
export class RestService {
  readonly #deps: RestServiceDeps;

  /** @param deps router, tokens and the rest of the pipeline */
  constructor(deps: RestServiceDeps) {
    this.#deps = deps;
  }

  /** Answers one HTTP request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const traceId = this.#deps.ids.traceId();
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = lowerCaseHeaders(req);
    const query = Object.fromEntries(url.searchParams);
    let route: string | null = null;
    let params: Record<string, string> = {};
    let recordedBody: unknown;
    let result: RestResult;
    try {
      const read = await readBody(req, this.#deps.maxBodyBytes);
      const match = this.#deps.router.match(method, url.pathname);
      if (!read.ok) {
        if (read.reason === 'aborted') return;
        // Refused unrouted, but recorded under the route its path names, so waiting for it works.
        if (match.kind === 'found') [route, params] = [match.route, match.params];
        throw new RestError(413, 413, `request body exceeds ${this.#deps.maxBodyBytes} bytes`);
      }
      if (match.kind === 'not-found') throw new RestError(404, 404, `no API at ${method} ${url.pathname}`);
      if (match.kind === 'method-not-allowed')
        throw new RestError(
          405,
          405,
          `${method} is not allowed here (allowed: ${match.allowed.join(', ')})`,
          undefined,
          { Allow: match.allowed.join(', ') },
        );
      route = match.route;
      params = match.params;
      this.#authenticate(headers['authorization']);
      const { body, files } = parseBody(read.bytes, headers['content-type']);
      recordedBody = body;
      const injected = this.#deps.faults.take(match.route);
      if (injected && !injected.afterHandling) throw injected.error;
      result = await match.handler({
        method,
        path: url.pathname,
        route: match.route,
        params,
        query,
        headers,
        body,
        files,
        traceId,
      });
      if (injected) throw injected.error;
    } catch (error) {
      result = this.#errorResult(error, traceId);
    }
    sendJson(res, result.status, result.body, { ...result.headers, 'X-Tps-trace-Id': traceId });
    this.#deps.recorder.add({
      kind: 'rest',
      method,
      path: url.pathname,
      route,
      params,
      query,
      headers: maskAuthorization(headers),
      body: recordedBody,
      status: result.status,
      response: result.body,
      traceId,
    });
  }

  #authenticate(authorization: string | undefined): void {
    if (!authorization)
      throw new RestError(
        401,
        ErrorCode.TokenMissing,
        'missing Authorization header: send "QQBot <access_token>"',
      );
    if (/^Bot\s/i.test(authorization))
      throw new RestError(
        401,
        ErrorCode.FixedTokenDisabled,
        'the "Bot appid.token" form is disabled: use "QQBot <access_token>"',
      );
    const match = /^QQBot (\S+)$/.exec(authorization);
    if (!match?.[1])
      throw new RestError(401, ErrorCode.TokenMissing, 'Authorization must be "QQBot <access_token>"');
    const status = this.#deps.tokens.check(match[1]);
    if (status !== 'valid')
      throw new RestError(401, ErrorCode.TokenExpired, `token not exist or expire (${status})`);
  }

  #errorResult(error: unknown, traceId: string): RestResult {
    if (error instanceof RestError) {
      const body: ErrorBody = {
        code: error.code,
        message: error.message,
        err_code: error.code,
        trace_id: traceId,
        ...(error.data !== undefined ? { data: error.data } : {}),
      };
      return { status: error.status, body, headers: error.headers };
    }
    this.#deps.onInternalError(error);
    return {
      status: 500,
      body: {
        code: 500,
        message: 'internal emulator error',
        err_code: 500,
        trace_id: traceId,
      } satisfies ErrorBody,
    };
  }
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function maskAuthorization(headers: Record<string, string>): Record<string, string> {
  const auth = headers['authorization'];
  if (auth === undefined) return headers;
  return { ...headers, authorization: maskCredential(auth) };
}

/** Parses a JSON or multipart body; throws a 400 naming the problem. */
function parseBody(
  bytes: Buffer,
  contentType: string | undefined,
): { body: JsonObject | undefined; files: MultipartFile[] } {
  if (bytes.length === 0) return { body: undefined, files: [] };
  const boundary = multipartBoundary(contentType);
  if (boundary !== undefined) {
    const parsed = parseMultipart(bytes, boundary);
    if (!parsed) throw new RestError(400, ErrorCode.InvalidFormBody, 'multipart body cannot be parsed');
    const body: JsonObject = { ...parsed.fields };
    for (const field of JSON_FIELDS) {
      const raw = parsed.fields[field];
      if (raw === undefined) continue;
      const value = tryParseJson(raw)?.value;
      if (!isJsonObject(value))
        throw new RestError(
          400,
          ErrorCode.InvalidFormBody,
          `multipart field "${field}" must be a JSON object string`,
        );
      body[field] = value;
    }
    return { body, files: parsed.files };
  }
  const parsed = tryParseJson(bytes.toString('utf8'));
  if (!parsed) throw new RestError(400, ErrorCode.RequestInvalid, 'request body is not valid JSON');
  if (!isJsonObject(parsed.value))
    throw new RestError(400, ErrorCode.RequestInvalid, 'request body must be a JSON object');
  return { body: parsed.value, files: [] };
}
