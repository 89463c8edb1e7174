import { requireId } from '@bot/core';
import type { PendingAudit } from '../rest/PendingAudit.js';
import type { HttpMethod, RequestOptions } from '../rest/RequestOptions.js';
import type { RestClient } from '../rest/RestClient.js';
import { markMessageRequest } from '../messages/messageBodySize.js';
import { markEndpointCall } from '../rest/callSite.js';
import { compileRoute, requirePathSegment } from '../rest/routes.js';
import { callControls, type CallOptions } from './CallOptions.js';

/** The `{name}` placeholders of a route template, as a union of names. */
export type RouteParamName<Route extends string> = Route extends `${string}{${infer Name}}${infer Rest}`
  ? Name | RouteParamName<Rest>
  : never;

/** A value for each placeholder of a route template (any names when the template is not a literal). */
export type RouteParams<Route extends string> = string extends Route
  ? Readonly<Record<string, string>>
  : { readonly [Name in RouteParamName<Route>]: string };

/** What an endpoint's input becomes on the wire, besides the path. */
export type RequestParts = Pick<RequestOptions, 'query' | 'body' | 'files' | 'headers'>;

/** How {@link endpoint} turns the caller's input into a request. */
export interface EndpointOptions<Input, Held extends boolean> {
  /**
   * Checks the input (after the path ids) and shapes it into query, body, files or headers; no
   * input and nothing besides the path by default.
   */
  request?: (input: Input) => RequestParts;
  /** The caller's name for a placeholder, in errors; the placeholder in camelCase by default. */
  fields?: Readonly<Record<string, string>>;
  /** The platform may hold what this endpoint sends for audit (answer: a PendingAudit). Default `false`. */
  auditable?: Held;
  /**
   * The caller's name for the message the JSON body carries (`params`), for an endpoint that sends
   * one: the body as encoded must stay within `MAX_MESSAGE_BODY_BYTES`. None by default.
   */
  messageField?: string;
}

/**
 * One REST endpoint as data: method, route template (the rate limiter's key, and the name in
 * errors and logs), placeholders with the caller's names for them, and how the input becomes the
 * request. `Input` is what the caller hands over besides the path ids; `Result` the parsed answer.
 * Declare with {@link endpoint}; a resource sends through {@link bindEndpoints}.
 */
export interface Endpoint<Route extends string, Input, Result, Held extends boolean = false> {
  readonly method: HttpMethod;
  readonly route: Route;
  /** Each placeholder with the caller's name for it, in template order, worked out once. */
  readonly params: readonly (readonly [placeholder: string, field: string])[];
  readonly request: ((input: Input) => RequestParts) | undefined;
  readonly auditable: Held;
  /** The caller's name for the message the body carries, when it carries one. */
  readonly messageField: string | undefined;
  /**
   * The same declaration, typed to answer with `R`.
   *
   * @typeParam R - the parsed answer (`void` when the platform's answer is of no use)
   */
  returns<R>(): Endpoint<Route, Input, R, Held>;
  /** Type only: the parsed answer. */
  readonly __result?: Result;
}

/** What a call resolves to: the answer, or a PendingAudit for an auditable endpoint. */
export type EndpointResult<Result, Held extends boolean> = Held extends true ? Result | PendingAudit : Result;

/**
 * Declares an endpoint. The template is split into parts once here, not on every call.
 *
 * ```ts
 * const getRole = endpoint('GET', Routes.guildRoles).returns<GuildRoles>();
 * ```
 *
 * @param method - HTTP method
 * @param route - route template, one of {@link Routes}
 * @param options - the input's checks and wire form, placeholder names, auditability
 */
export function endpoint<Route extends string, Input = void, Held extends boolean = false>(
  method: HttpMethod,
  route: Route,
  options: EndpointOptions<Input, Held> = {},
): Endpoint<Route, Input, void, Held> {
  const params = compileRoute(route).names.map(
    (name) => [name, options.fields?.[name] ?? camelCase(name)] as const,
  );
  const declaration: Endpoint<Route, Input, void, Held> = {
    method,
    route,
    params,
    request: options.request,
    auditable: (options.auditable ?? false) as Held,
    messageField: options.messageField,
    returns: <R>() => declaration as unknown as Endpoint<Route, Input, R, Held>,
  };
  return declaration;
}

/** Any endpoint declaration, whatever its route, input and answer. */
export type AnyEndpoint = Endpoint<string, never, unknown, boolean>;

/**
 * The endpoints of a table bound to a transport: each takes the path values, then its input
 * (endpoints that take one), then the call options.
 */
export type BoundEndpoints<Table> = {
  readonly [Name in keyof Table]: Table[Name] extends Endpoint<
    infer Route,
    infer Input,
    infer Result,
    infer Held
  >
    ? (
        params: RouteParams<Route>,
        ...rest: [Input] extends [void] ? [options?: CallOptions] : [input: Input, options?: CallOptions]
      ) => Promise<EndpointResult<Result, Held>>
    : never;
};

/**
 * Binds a table of endpoint declarations to a transport, once per resource object.
 *
 * @param rest - the transport
 * @param table - the resource's declarations
 */
export function bindEndpoints<Table extends Readonly<Record<string, AnyEndpoint>>>(
  rest: RestClient,
  table: Table,
): BoundEndpoints<Table> {
  const bound: Record<string, unknown> = {};
  for (const [name, declaration] of Object.entries(table)) {
    bound[name] =
      declaration.request === undefined
        ? (params: RouteParams<string>, options?: CallOptions) =>
            send(rest, declaration, params, undefined, options)
        : (params: RouteParams<string>, input: unknown, options?: CallOptions) =>
            send(rest, declaration, params, input, options);
  }
  return bound as BoundEndpoints<Table>;
}

/**
 * Sends one call: checks each path id (a `ValidationError` names the caller's argument), then
 * the input, and hands the request to the REST client. Throws synchronously: the resource
 * methods calling it are `async`, so a refusal reaches their callers as a rejection.
 */
function send(
  rest: RestClient,
  declaration: AnyEndpoint,
  params: RouteParams<string>,
  input: unknown,
  options: CallOptions | undefined,
): Promise<unknown> {
  for (const [placeholder, field] of declaration.params)
    requirePathSegment(requireId(params[placeholder], field), field);
  const request: RequestOptions = {
    method: declaration.method,
    route: declaration.route,
    params,
    // BoundEndpoints types `input` as the declaration's Input; the table erased it to `never`.
    ...declaration.request?.(input as never),
    ...callControls(options),
  };
  if (declaration.auditable) request.auditable = true;
  if (declaration.messageField !== undefined) markMessageRequest(request, declaration.messageField);
  markEndpointCall(request);
  return rest.request<unknown>(request);
}

/**
 * A request shaper that sends its input as the JSON body after checking it.
 *
 * @param check - throws a `ValidationError` for a body that cannot be sent
 */
export function jsonBody<Body>(check: (body: Body) => void): (body: Body) => RequestParts {
  return (body) => {
    check(body);
    return { body };
  };
}

/** `guild_id` → `guildId`: the name the API's methods give a placeholder's argument. */
function camelCase(placeholder: string): string {
  return placeholder.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
