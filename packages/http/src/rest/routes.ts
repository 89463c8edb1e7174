import { ValidationError } from '@bot/core';
import type { HttpMethod, QueryValue } from './RequestOptions.js';

/**
 * Route templates of every endpoint. The template, not the filled path, names a route in
 * errors, logs and rate-limit settings (`'POST /channels/{channel_id}/messages'`).
 */
export const Routes = {
  me: '/users/@me',
  myGuilds: '/users/@me/guilds',
  gateway: '/gateway',
  gatewayBot: '/gateway/bot',

  guild: '/guilds/{guild_id}',
  guildMessageSetting: '/guilds/{guild_id}/message/setting',
  guildChannels: '/guilds/{guild_id}/channels',
  channel: '/channels/{channel_id}',
  channelOnlineNums: '/channels/{channel_id}/online_nums',

  guildMembers: '/guilds/{guild_id}/members',
  guildMember: '/guilds/{guild_id}/members/{user_id}',
  roleMembers: '/guilds/{guild_id}/roles/{role_id}/members',

  guildRoles: '/guilds/{guild_id}/roles',
  guildRole: '/guilds/{guild_id}/roles/{role_id}',
  memberRole: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}',

  channelPermissions: '/channels/{channel_id}/permissions',
  memberPermissions: '/channels/{channel_id}/members/{user_id}/permissions',
  rolePermissions: '/channels/{channel_id}/roles/{role_id}/permissions',

  channelMessages: '/channels/{channel_id}/messages',
  channelMessage: '/channels/{channel_id}/messages/{message_id}',

  dmSessions: '/users/@me/dms',
  dmMessages: '/dms/{guild_id}/messages',
  dmMessage: '/dms/{guild_id}/messages/{message_id}',

  groupMessages: '/v2/groups/{group_openid}/messages',
  groupMessage: '/v2/groups/{group_openid}/messages/{message_id}',
  groupFiles: '/v2/groups/{group_openid}/files',
  userMessages: '/v2/users/{openid}/messages',
  userMessage: '/v2/users/{openid}/messages/{message_id}',
  userFiles: '/v2/users/{openid}/files',
  userStreamMessages: '/v2/users/{openid}/stream_messages',

  guildMute: '/guilds/{guild_id}/mute',
  memberMute: '/guilds/{guild_id}/members/{user_id}/mute',

  guildAnnounces: '/guilds/{guild_id}/announces',
  guildAnnounce: '/guilds/{guild_id}/announces/{message_id}',
  channelAnnounces: '/channels/{channel_id}/announces',
  channelAnnounce: '/channels/{channel_id}/announces/{message_id}',

  schedules: '/channels/{channel_id}/schedules',
  schedule: '/channels/{channel_id}/schedules/{schedule_id}',

  apiPermissions: '/guilds/{guild_id}/api_permission',
  apiPermissionDemand: '/guilds/{guild_id}/api_permission/demand',

  pins: '/channels/{channel_id}/pins',
  pin: '/channels/{channel_id}/pins/{message_id}',

  reaction: '/channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}',

  threads: '/channels/{channel_id}/threads',
  thread: '/channels/{channel_id}/threads/{thread_id}',

  audio: '/channels/{channel_id}/audio',
  mic: '/channels/{channel_id}/mic',
  voiceMembers: '/channels/{channel_id}/voice/members',

  interaction: '/interactions/{interaction_id}',
  panels: '/v2/panels',
  panel: '/v2/panels/{panel_id}',
  panelTarget: '/v2/panels/{panel_id}/target',

  channelSettingGuide: '/channels/{channel_id}/settingguide',
  dmSettingGuide: '/dms/{guild_id}/settingguide',
} as const;

/** A route template of {@link Routes}. */
export type Route = (typeof Routes)[keyof typeof Routes];

/** A `{name}` placeholder of a route template: lower-case letters and underscores. */
const PLACEHOLDER = /\{([a-z_]+)\}/g;
/**
 * Compiled templates kept at most. The templates of {@link Routes} fill a small part of it; the
 * bound only matters for callers who hand `RestClient.request` a new route string every time.
 */
const MAX_COMPILED = 512;
const compiled = new Map<string, CompiledRoute>();

/**
 * A route template split once into its literal text and placeholders, so filling it costs string
 * concatenation only: `literals[0] + value(names[0]) + literals[1] + …`.
 */
export interface CompiledRoute {
  /** The text around the placeholders; one more than `names`. */
  readonly literals: readonly string[];
  /** The placeholders' names, in template order; the first names the route's owner. */
  readonly names: readonly string[];
  /** `METHOD template` per method, made once rather than per request. */
  readonly templates: Readonly<Record<HttpMethod, string>>;
}

/**
 * Splits a route template into literal text and placeholders, once per template.
 *
 * @param route - template such as `/channels/{channel_id}/messages`
 */
export function compileRoute(route: string): CompiledRoute {
  const known = compiled.get(route);
  if (known !== undefined) return known;
  const literals: string[] = [];
  const names: string[] = [];
  let from = 0;
  for (const match of route.matchAll(PLACEHOLDER)) {
    literals.push(route.slice(from, match.index));
    names.push(match[1] as string);
    from = match.index + match[0].length;
  }
  literals.push(route.slice(from));
  const templates = {
    GET: `GET ${route}`,
    POST: `POST ${route}`,
    PUT: `PUT ${route}`,
    PATCH: `PATCH ${route}`,
    DELETE: `DELETE ${route}`,
  };
  const result: CompiledRoute = { literals, names, templates };
  if (compiled.size < MAX_COMPILED) compiled.set(route, result);
  return result;
}

/**
 * Fills a route template with URL-encoded values.
 *
 * @param route - template such as `/channels/{channel_id}/messages`
 * @param params - a value for each placeholder
 * @throws {@link ValidationError} when a placeholder has no value, an empty one, or `.` or `..`
 */
export function fillRoute(route: string, params: Readonly<Record<string, string>> = {}): string {
  return fillCompiled(compileRoute(route), params);
}

function fillCompiled(compiled: CompiledRoute, params: Readonly<Record<string, string>>): string {
  const { literals, names } = compiled;
  let path = literals[0] as string;
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    const value = params[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ValidationError(name, 'must be a non-empty string');
    }
    requirePathSegment(value, name);
    path += encodeURIComponent(value) + (literals[index + 1] as string);
  }
  return path;
}

/**
 * Refuses a path value of `.` or `..`: encoding leaves them as they are, and URL parsing resolves
 * such a segment, so the request would go to another route of the same host (`DELETE
 * /guilds/{guild_id}/members/../roles/{role_id}` deletes the role). No platform id is either.
 *
 * @param value - a path value, already known to be a non-empty string
 * @param field - the name to report: the caller's argument or the placeholder
 * @throws {@link ValidationError} for `.` or `..`
 */
export function requirePathSegment(value: string, field: string): void {
  if (value === '.' || value === '..')
    throw new ValidationError(
      field,
      `must not be "${value}": as a path segment it would send the request to another route`,
    );
}

/**
 * Appends a query string, leaving out `undefined` values.
 *
 * @param path - the filled path
 * @param query - query entries
 */
export function withQuery(path: string, query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.append(key, String(value));
  }
  const encoded = search.toString();
  return encoded === '' ? path : `${path}?${encoded}`;
}

/**
 * The key a request is rate limited under: method, route template and the major id. On this
 * platform the first placeholder of a route always names the resource that owns it (channel,
 * guild, group, user), so two channels get separate message windows under one template.
 *
 * @param method - HTTP method
 * @param route - route template
 * @param params - placeholder values
 */
export function routeKey(
  method: HttpMethod,
  route: string,
  params: Readonly<Record<string, string>> = {},
): string {
  return keyOf(compileRoute(route), method, params);
}

function keyOf(
  compiled: CompiledRoute,
  method: HttpMethod,
  params: Readonly<Record<string, string>>,
): string {
  const major = compiled.names[0];
  const template = compiled.templates[method];
  return major === undefined ? template : `${template}:${params[major] ?? ''}`;
}

/** Where one request goes and what it is paced and named by; see {@link routeTarget}. */
export interface RouteTarget {
  /** The filled path, query included. */
  readonly path: string;
  /** The rate-limit key; see {@link routeKey}. */
  readonly key: string;
  /** `METHOD template`, which names the route in logs and selects its window. */
  readonly template: string;
}

/** Targets of routes without placeholders or query, which never change: `METHOD template` → target. */
const fixedTargets = new Map<string, RouteTarget>();

/**
 * The path, rate-limit key and `METHOD template` of a request, made with one look-up of the
 * compiled template; a route without placeholders and query (`GET /users/@me`) is made once.
 *
 * @param method - HTTP method
 * @param route - route template
 * @param params - placeholder values
 * @param query - query entries
 * @throws {@link ValidationError} when a placeholder has no value, an empty one, or `.` or `..`
 */
export function routeTarget(
  method: HttpMethod,
  route: string,
  params: Readonly<Record<string, string>> = {},
  query?: Readonly<Record<string, QueryValue>>,
): RouteTarget {
  const compiled = compileRoute(route);
  const template = compiled.templates[method];
  if (compiled.names.length === 0 && query === undefined) {
    let fixed = fixedTargets.get(template);
    if (fixed === undefined) {
      fixed = { path: compiled.literals[0] as string, key: template, template };
      if (fixedTargets.size < MAX_COMPILED) fixedTargets.set(template, fixed);
    }
    return fixed;
  }
  return {
    path: withQuery(fillCompiled(compiled, params), query),
    key: keyOf(compiled, method, params),
    template,
  };
}
