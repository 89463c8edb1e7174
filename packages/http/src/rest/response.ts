import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors/ApiError.js';
import { DecodeError } from '../errors/DecodeError.js';
import { AUDIT_CODES } from '../errors/delivery.js';
import { PlatformCode, RATE_LIMIT_CODES } from '../errors/platformCodes.js';
import { PendingAudit } from './PendingAudit.js';
import type { HttpMethod } from './RequestOptions.js';
import { answeredAt, parseRetryAfter } from './ratelimit/retryAfter.js';
import { platformText } from '@bot/core';
import { toNumber } from '../util/toNumber.js';

/** Platform codes that mean "this token is no longer valid". */
const TOKEN_EXPIRED_CODES = new Set<number>([PlatformCode.TokenExpired]);

/** What one HTTP answer means for the request loop. */
export type Outcome =
  | { type: 'ok'; value: unknown }
  | { type: 'undecodable'; error: DecodeError }
  | { type: 'audit'; audit: PendingAudit }
  | { type: 'unauthorized'; error: ApiError }
  | { type: 'rateLimited'; error: ApiError; retryAfter: number | undefined; global: boolean }
  | { type: 'serverError'; error: ApiError }
  | { type: 'clientError'; error: ApiError };

/** The parts of an HTTP answer {@link classifyResponse} reads. */
export interface RawResponse {
  status: number;
  statusText: string;
  body: string;
  /** Response headers, lower-cased; read only where an outcome needs them. */
  headers: IncomingHttpHeaders;
}

interface ErrorBody {
  code?: unknown;
  err_code?: unknown;
  message?: unknown;
  trace_id?: unknown;
  data?: { message_audit?: { audit_id?: unknown } };
}

/**
 * Turns an HTTP answer into an {@link Outcome}: parses the body once, maps error bodies to
 * {@link ApiError} (a 2xx with the platform's error shape too), a 2xx body that is not JSON, or is
 * JSON but neither an object nor an array (for an endpoint's call), to a {@link DecodeError}, and recognises audits, expired
 * tokens and rate limits by status and code.
 *
 * @param response - status, body text and headers of the answer
 * @param method - request method, for errors
 * @param route - request route template, for errors
 * @param auditable - whether an audit answer is expected: a 201/202 with an audit id or code, or
 *   any 2xx with the error shape and an audit code
 * @param structured - whether the answer must be a JSON object or array (an endpoint's call): a
 *   bare number, string, boolean or `null` is then a {@link DecodeError}
 */
export function classifyResponse(
  response: RawResponse,
  method: HttpMethod,
  route: string,
  auditable: boolean,
  structured = false,
): Outcome {
  const { status } = response;
  const parsed = parseJson(response.body);

  if (status >= 200 && status < 300) {
    // The success path: a typeof and, for an object, one property read.
    if (typeof parsed !== 'object' || parsed === null) {
      if (parsed === undefined || (parsed !== UNREADABLE && !structured))
        return { type: 'ok', value: parsed };
      return {
        type: 'undecodable',
        error: new DecodeError(
          method,
          route,
          status,
          response.body.length,
          traceIdOf(response.headers),
          parsed === UNREADABLE ? undefined : parsed === null ? 'null' : `a ${typeof parsed}`,
        ),
      };
    }
    if (auditable && (status === 201 || status === 202)) {
      const audit = pendingAuditOf(parsed, traceIdOf(response.headers));
      if (audit) return { type: 'audit', audit };
    }
    // The platform's error shape with a 2xx status is a refusal all the same (as the token
    // endpoint's "200 with a code"), not the endpoint's answer.
    if ((parsed as ErrorBody).code === undefined || !isErrorBody(parsed as ErrorBody))
      return { type: 'ok', value: parsed };
    // Elsewhere an audit code stays an ApiError, which says the platform holds the request.
    if (auditable) {
      const audit = pendingAuditOf(parsed, traceIdOf(response.headers));
      if (audit) return { type: 'audit', audit };
    }
  }

  // An error answer need not be JSON (a proxy's HTML page): the status alone still classifies it.
  const body: ErrorBody = typeof parsed === 'object' && parsed !== null ? (parsed as ErrorBody) : {};
  const code = toNumber(body.code) ?? status;
  const error = new ApiError({
    status,
    code,
    errCode: toNumber(body.err_code),
    // Quoted in messages and log lines: bounded and escaped (a proxy's answer could forge a line).
    message: platformText(
      typeof body.message === 'string' && body.message !== '' ? body.message : response.statusText,
    ),
    traceId:
      traceIdOf(response.headers) ??
      (typeof body.trace_id === 'string' ? platformText(body.trace_id) : undefined),
    method,
    route,
  });

  if (status === 401 || TOKEN_EXPIRED_CODES.has(code)) return { type: 'unauthorized', error };
  if (status === 429 || RATE_LIMIT_CODES.has(code)) {
    return {
      type: 'rateLimited',
      error,
      retryAfter: retryAfterOf(response.headers),
      // A limit pauses the route it was met on. Only an answer that says so pauses every route.
      global: status === 429 && firstHeader(response.headers['x-ratelimit-global'])?.toLowerCase() === 'true',
    };
  }
  if (status >= 500) return { type: 'serverError', error };
  return { type: 'clientError', error };
}

/** The fields of the platform's error body (docs/protocol.md §8.5). */
const ERROR_FIELDS = new Set(['code', 'message', 'err_code', 'trace_id', 'data']);

/**
 * Whether a 2xx body is the platform's error shape: a non-zero numeric `code`, a string `message`
 * and no field of its own, so an answer that happens to carry a `code` stays an answer.
 */
function isErrorBody(body: ErrorBody): boolean {
  const code = toNumber(body.code);
  if (code === undefined || code === 0 || typeof body.message !== 'string' || Array.isArray(body))
    return false;
  for (const key in body) if (!ERROR_FIELDS.has(key)) return false;
  return true;
}

/** The wait a limit's `Retry-After` asks for; an HTTP date is measured against the answer's own `Date`. */
function retryAfterOf(headers: RawResponse['headers']): number | undefined {
  const header = firstHeader(headers['retry-after']);
  if (header === undefined) return undefined;
  return parseRetryAfter(header, answeredAt(firstHeader(headers['date'])));
}

/** The first value of a header; `undefined` when absent or empty. */
function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

/** The platform's trace id of an answer (`X-Tps-trace-Id`), bounded for quoting. */
export function traceIdOf(headers: IncomingHttpHeaders): string | undefined {
  const traceId = firstHeader(headers['x-tps-trace-id']);
  return traceId === undefined ? undefined : platformText(traceId);
}

function pendingAuditOf(parsed: unknown, traceId: string | undefined): PendingAudit | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const body = parsed as ErrorBody;
  const code = toNumber(body.code);
  const auditId = body.data?.message_audit?.audit_id;
  if (typeof auditId !== 'string' && !(code !== undefined && AUDIT_CODES.has(code))) return undefined;
  return new PendingAudit(
    typeof auditId === 'string' ? auditId : '',
    code ?? 0,
    typeof body.message === 'string' ? platformText(body.message) : 'message is waiting for audit',
    traceId,
  );
}

/** What {@link parseJson} returns for a body that is not JSON. */
const UNREADABLE = Symbol('unreadable');

/** The body's JSON value; `undefined` for an empty body (204), {@link UNREADABLE} for anything else. */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return UNREADABLE;
  }
}
