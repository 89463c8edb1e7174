import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { messageOf, ValidationError } from '@bot/core';
import { tsxRegisterUrl } from './workerScript.js';

/** The TypeScript source extension of each JavaScript one the compiler writes. */
const SOURCE_OF: Readonly<Record<string, string>> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts' };

/**
 * The module a `workerThreads({ handler })` URL names on disk. TypeScript ESM imports name the
 * `.js` the compiler will write, so a bot's `new URL('./bot.js', import.meta.url)` names `bot.js`
 * once compiled, but only `bot.ts` exists while it runs from its sources with tsx: a missing
 * `.js` (`.mjs`, `.cjs`) is then taken as the `.ts` (`.mts`, `.cts`) beside it, which the thread
 * loads through tsx (found from that module, as `loadThreadHandler` does).
 *
 * @param handler - the `file:` URL given as `handler`
 * @returns `handler`, or the URL of the TypeScript source beside it
 * @throws {@link ValidationError} (`handler`) naming every path tried when none exists, or when
 * the source beside it exists but no tsx is found from it to load it, or the one found fails (the
 * failure is its `cause`)
 */
export function resolveHandlerModule(handler: URL): URL {
  const named = fileURLToPath(handler);
  if (existsSync(named)) return handler;
  const extension = /\.[cm]?js$/.exec(handler.pathname)?.[0];
  const sourceExtension = extension === undefined ? undefined : SOURCE_OF[extension];
  if (extension === undefined || sourceExtension === undefined) {
    throw new ValidationError('handler', `names ${named}, which does not exist`);
  }
  // Only the path changes: a query or a hash is kept as given.
  const source = new URL(handler);
  source.pathname = handler.pathname.slice(0, -extension.length) + sourceExtension;
  const sourcePath = fileURLToPath(source);
  if (!existsSync(sourcePath)) {
    throw new ValidationError(
      'handler',
      `names ${named}, which does not exist, nor does its TypeScript source ${sourcePath}: check the path ` +
        '(a new URL(…, import.meta.url) resolves from the module that calls it)',
    );
  }
  try {
    tsxRegisterUrl(source.href);
  } catch (error) {
    throw withCause(new ValidationError('handler', tsxProblem(named, sourcePath, error)), error);
  }
  return source;
}

/**
 * A warning when `module` is compiled JavaScript older than the TypeScript source beside it: the
 * threads load the JavaScript, so whatever changed in the source since the last build does not
 * run, under tsx as well (a compiled `bot.js` left beside `bot.ts` wins).
 *
 * @param module - the handler module the threads load (see {@link resolveHandlerModule})
 * @returns the warning, or `undefined` when there is no source beside it or it is not newer
 */
export function staleHandlerWarning(module: URL): string | undefined {
  const extension = /\.[cm]?js$/.exec(module.pathname)?.[0];
  const sourceExtension = extension === undefined ? undefined : SOURCE_OF[extension];
  if (extension === undefined || sourceExtension === undefined) return undefined;
  const compiled = fileURLToPath(module);
  const source = compiled.slice(0, -extension.length) + sourceExtension;
  const [compiledTime, sourceTime] = [modifiedAt(compiled), modifiedAt(source)];
  if (compiledTime === undefined || sourceTime === undefined || sourceTime <= compiledTime) return undefined;
  return (
    `the worker threads load the handler module ${compiled}, which is older than ${source} beside ` +
    'it: changes made to the source since the last build do not run. Build again, or delete the ' +
    'compiled file to run the source through tsx'
  );
}

/** When `path` was last modified, in epoch milliseconds; `undefined` when it cannot be read. */
function modifiedAt(path: string): number | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  } catch {
    // Not readable (permissions, a folder where a file was expected): no warning rather than a failed start.
    return undefined;
  }
}

/** Why the tsx needed to load `sourcePath` on the threads failed, and what to do. */
function tsxProblem(named: string, sourcePath: string, error: unknown): string {
  const missing = `names ${named}, which does not exist; ${sourcePath} beside it does, but`;
  const remedy = `to run the TypeScript as it is, or compile it so that ${named} exists`;
  if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') {
    return `${missing} no tsx is found from it to load it on the threads: install tsx in the project ${remedy}`;
  }
  return `${missing} the tsx found from it cannot load it on the threads (${messageOf(error)}): reinstall tsx ${remedy}`;
}

/** `error` with `cause` set as Error's own constructor sets it (ValidationError takes no options). */
function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  return error;
}
