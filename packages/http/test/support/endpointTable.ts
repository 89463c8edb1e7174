import type { BotApi, HttpMethod } from '@bot/http';

/** What must reach the platform for one call, and what the caller gets back. */
export interface Expectation {
  query?: Record<string, string>;
  /** Expected JSON body; the request must have none when omitted (and `form` is not set). */
  body?: unknown;
  /** Expected multipart form: text fields and file parts. */
  form?: {
    fields: Record<string, string>;
    files: Record<string, { name: string; type: string; bytes: number[] }>;
  };
  headers?: Record<string, string>;
  /** Answer status; 200 with a `reply`, 204 without. */
  status?: number;
  /** Answer body; the call must resolve to it unless `result` is given, or to `undefined` without it. */
  reply?: unknown;
  result?: unknown;
}

/** One row per endpoint call. */
export interface EndpointRow extends Expectation {
  title: string;
  method: HttpMethod;
  path: string;
  call: (api: BotApi) => Promise<unknown>;
}

/**
 * A table row: `route` is the request that must arrive (`'PATCH /channels/c1'`); the call's own
 * source names the test, so each title reads as "request ← call".
 */
export function row(
  route: string,
  call: (api: BotApi) => Promise<unknown>,
  expectation: Expectation = {},
): EndpointRow {
  const [method, path] = route.split(' ') as [HttpMethod, string];
  const source = call
    .toString()
    .replace(/^\(?api\)? => api\./, '')
    .replace(/__vite_ssr_import_\d+__\./g, '') // the test runner's module rewriting
    .replace(/\s+/g, ' ');
  return { title: `${route} ← ${source}`, method, path, call, ...expectation };
}
