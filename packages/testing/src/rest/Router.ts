import type { JsonObject } from '../util/guards.js';
import type { MultipartFile } from './multipart.js';

/** A REST request after routing and body parsing. */
export interface RestRequest {
  method: string;
  path: string;
  /** The route template that matched, e.g. `GET /guilds/{guild_id}`. */
  route: string;
  /** Path parameters by name. */
  params: Record<string, string>;
  /** Query parameters (first value of each). */
  query: Record<string, string>;
  /** Lower-case request headers. */
  headers: Record<string, string>;
  /** The JSON body, multipart fields (object fields decoded), or undefined when empty. */
  body: JsonObject | undefined;
  /** Files of a multipart body. */
  files: MultipartFile[];
  /** The trace id this response carries. */
  traceId: string;
}

/** A successful REST answer. */
export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Handles one route. Throws `RestError` for error answers. */
export type RouteHandler = (request: RestRequest) => RestResult | Promise<RestResult>;

/** 200 with a JSON body. */
export function ok(body: unknown): RestResult {
  return { status: 200, body };
}

/** 204 without a body. */
export function noContent(): RestResult {
  return { status: 204 };
}

interface Route {
  method: string;
  template: string;
  segments: string[];
  handler: RouteHandler;
}

/** The outcome of matching a method and path. */
export type RouteMatch =
  | { kind: 'found'; route: string; params: Record<string, string>; handler: RouteHandler }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * Maps `METHOD /path/{param}` templates to handlers. Literal segments win over parameters, so
 * `/users/@me/guilds` never reads `@me` as a parameter value of some other route.
 */
export class Router {
  readonly #routes: Route[] = [];

  /** Registers a handler for a template such as `POST /channels/{channel_id}/messages`. */
  add(template: string, handler: RouteHandler): void {
    const [method, path] = template.split(' ');
    if (!method || !path?.startsWith('/')) throw new Error(`malformed route template "${template}"`);
    this.#routes.push({ method, template, segments: path.split('/').slice(1), handler });
  }

  /** Every registered template. */
  templates(): string[] {
    return this.#routes.map((route) => route.template);
  }

  /** Finds the handler for a request. */
  match(method: string, path: string): RouteMatch {
    const segments = path.split('/').slice(1);
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const matched = matchSegments(route.segments, segments);
      if (!matched) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      if (!best || matched.literals > best.literals) best = { route, ...matched };
    }
    if (best)
      return { kind: 'found', route: best.route.template, params: best.params, handler: best.route.handler };
    if (allowed.length > 0) return { kind: 'method-not-allowed', allowed };
    return { kind: 'not-found' };
  }
}

function matchSegments(
  pattern: string[],
  actual: string[],
): { params: Record<string, string>; literals: number } | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const value = actual[i] ?? '';
    if (expected.startsWith('{') && expected.endsWith('}')) {
      if (value === '') return undefined;
      params[expected.slice(1, -1)] = safeDecode(value);
    } else if (expected === value) {
      literals++;
    } else {
      return undefined;
    }
  }
  return { params, literals };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Normalises a template so `{c}` and `{channel_id}` compare equal. */
export function routeShape(template: string): string {
  return template.trim().replace(/\{[^}]*\}/g, '{}');
}
