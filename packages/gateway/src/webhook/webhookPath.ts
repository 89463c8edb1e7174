import { ValidationError } from '@bot/core';

/** What a request target is resolved against to compare paths (as the receiver does per request). */
const PATH_BASE = 'http://receiver';

/** Whitespace and control characters: no request line carries them in its path. */
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

/** What the error says a path looks like. */
const EXAMPLE = "a path looks like '/qq' or '/bot/events'";

/**
 * Checks the `path` option of a webhook receiver. Requests are matched by the path of their target
 * as a URL parser reads it, and the server's URL is its origin followed by the path: a path without
 * a leading `/`, with a query, a fragment, whitespace or control characters, or in a form no
 * request path takes (`//qq`, `/a/../qq`, unencoded non-ASCII) would answer every delivery 404.
 *
 * @param path - the option, `undefined` to serve every path
 * @returns the path, unchanged
 * @throws {@link ValidationError} (field `path`) saying what is wrong and what a path looks like
 */
export function checkWebhookPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const problem = pathProblem(path);
  if (problem !== undefined)
    throw new ValidationError('path', `${problem} (got ${JSON.stringify(path)}): ${EXAMPLE}`);
  return path;
}

/** What is wrong with `path`, or `undefined` when a request can target it exactly. */
function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (path.includes('?')) return 'must not contain "?" (a query is not part of the path)';
  if (path.includes('#')) return 'must not contain "#" (a fragment is never sent)';
  if (WHITESPACE_OR_CONTROL.test(path)) return 'must not contain whitespace or control characters';
  if (!URL.canParse(path, PATH_BASE)) return 'is not a path a request can target';
  const requested = new URL(path, PATH_BASE).pathname;
  if (requested !== path) {
    return `reaches the receiver as ${JSON.stringify(requested)}, so no request would match it`;
  }
  return undefined;
}
