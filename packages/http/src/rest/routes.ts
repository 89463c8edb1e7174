import { ValidationError } from '@bot/core';
import type { HttpMethod, QueryValue } from './RequestOptions.js';

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/**
 * Fills a route template with URL-encoded values.
 *
 * @param route - template such as `/channels/{channel_id}/messages`
 * @param params - a value for each placeholder
 * @throws {@link ValidationError} when a placeholder has no value or an empty one
 */
export function fillRoute(route: string, params: Readonly<Record<string, string>> = {}): string {
  return route.replace(PLACEHOLDER, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ValidationError(name, 'must be a non-empty string');
    }
    return encodeURIComponent(value);
  });
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
  const major = /\{([a-z_]+)\}/.exec(route)?.[1];
  const base = `${method} ${route}`;
  return major === undefined ? base : `${base}:${params[major] ?? ''}`;
}
