import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@bot/core';
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
 * the source beside it exists but no tsx is found from it to load it
 */
export function resolveHandlerModule(handler: URL): URL {
  const named = fileURLToPath(handler);
  if (existsSync(named)) return handler;
  const extension = /\.[cm]?js$/.exec(handler.pathname)?.[0];
  const sourceExtension = extension === undefined ? undefined : SOURCE_OF[extension];
  if (extension === undefined || sourceExtension === undefined) {
    throw new ValidationError('handler', `names ${named}, which does not exist`);
  }
  const source = new URL(handler.href.slice(0, -extension.length) + sourceExtension);
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
  } catch {
    throw new ValidationError(
      'handler',
      `names ${named}, which does not exist; ${sourcePath} beside it does, but no tsx is found from it to ` +
        'load it on the threads: install tsx in the project to run the TypeScript as it is, or compile it ' +
        `so that ${named} exists`,
    );
  }
  return source;
}
