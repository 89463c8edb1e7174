import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { type PlatformCode, platformCodeInfo } from './platformCodes.js';

/** What the platform said about a failed request, plus where it happened. */
export interface ApiErrorDetails {
  /** HTTP status code. */
  status: number;
  /** Platform error code from the body (`code`), or the HTTP status when the body had none. */
  code: number;
  /** Secondary platform code (`err_code`), when present. */
  errCode: number | undefined;
  /** Platform message, or the HTTP status text. */
  message: string;
  /** Value of the `X-Tps-trace-Id` header (or body `trace_id`); quote it to platform support. */
  traceId: string | undefined;
  /** HTTP method of the request. */
  method: HttpMethod;
  /** Route template of the request, such as `/channels/{channel_id}/messages`. */
  route: string;
}

/**
 * The platform answered with an error status or an error body. For a known code the message ends
 * with what to do about it (`remedy`). `Code` narrows `code`: a {@link KnownApiError} is the union
 * of one `ApiError<C>` per {@link PlatformCode}, so `switch (error.code)` narrows the error.
 */
export class ApiError<Code extends number = number> extends BotError {
  public readonly kind = 'api' as const;
  /** HTTP status code. */
  public readonly status: number;
  /** Platform error code (`code` of the body), or the HTTP status when the body had none. */
  public readonly code: Code;
  /** What to do about a known code (docs/protocol.md §11); `undefined` for other codes. */
  public readonly remedy: string | undefined;
  /** Secondary platform code (`err_code`), when present. */
  public readonly errCode: number | undefined;
  /** Trace id of the answer; quote it to platform support. */
  public readonly traceId: string | undefined;
  /** HTTP method of the request. */
  public readonly method: HttpMethod;
  /** Route template of the request, such as `/channels/{channel_id}/messages`. */
  public readonly route: string;

  /** @param details - the platform's answer and the request it belongs to */
  public constructor(details: ApiErrorDetails) {
    const remedy = platformCodeInfo(details.code)?.remedy;
    super(
      `${details.method} ${details.route} failed: ${details.status} code ${details.code}: ${details.message}` +
        (details.traceId ? ` (trace ${details.traceId})` : '') +
        (remedy === undefined ? '' : `; ${remedy}`),
    );
    this.status = details.status;
    this.code = details.code as Code;
    this.remedy = remedy;
    this.errCode = details.errCode;
    this.traceId = details.traceId;
    this.method = details.method;
    this.route = details.route;
  }
}

/** An {@link ApiError} with one of the known {@link PlatformCode}s: `switch (error.code)` narrows it. */
export type KnownApiError = { [C in PlatformCode]: ApiError<C> }[PlatformCode];

declare module '@bot/core' {
  interface BotErrorKinds {
    api: ApiError;
  }
}
