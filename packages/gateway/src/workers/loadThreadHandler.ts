import { raceAbort } from '@bot/core';
import type { ThreadDispatchHandler, ThreadHandlerContext } from './ThreadHandler.js';
import { tsxRegisterUrl } from './workerScript.js';

/**
 * Longest a thread waits for its handler module to load and its setup to finish: the thread's
 * shards start only after, so a setup that never settles would keep them from starting, unseen.
 */
export const HANDLER_SETUP_DEADLINE_MS = 30_000;

/** What a value is, for a message that says what was found instead. */
function described(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Whether `tsx` was registered on this thread for a TypeScript handler module. */
let typeScriptLoader: Promise<void> | undefined;

/**
 * A TypeScript handler module (a bot run with `tsx`) needs `tsx` on its thread too: a loader given
 * to the process does not reach worker threads on Node.js 20. It is registered from where the
 * module would import it. Running from this package's own sources, the thread has it already.
 */
function loadTypeScript(module: string): Promise<void> {
  if (!/\.[cm]?tsx?$/.test(new URL(module).pathname) || import.meta.url.endsWith('.ts'))
    return Promise.resolve();
  typeScriptLoader ??= (async () => {
    let api: string;
    try {
      api = tsxRegisterUrl(module);
    } catch {
      throw new TypeError(
        'it is TypeScript and no tsx is found from it to load it with on the thread: install tsx, or build the module to JavaScript and name the .js',
      );
    }
    const { register } = (await import(api)) as { register: () => unknown };
    register();
  })();
  return typeScriptLoader;
}

async function setUp(module: string, context: ThreadHandlerContext): Promise<ThreadDispatchHandler> {
  await loadTypeScript(module);
  const loaded = (await import(module)) as { default?: unknown };
  const setup = loaded.default;
  if (typeof setup !== 'function') {
    throw new TypeError(
      `its default export is ${described(setup)}, not a function (export default defineThreadHandler(…))`,
    );
  }
  const handler = (await (setup as (context: ThreadHandlerContext) => unknown)(context)) as unknown;
  if (
    typeof handler !== 'object' ||
    handler === null ||
    typeof (handler as Partial<ThreadDispatchHandler>).dispatch !== 'function'
  ) {
    throw new TypeError(
      `its setup returned ${described(handler)} without a dispatch(payload, shardId, shardCount) method`,
    );
  }
  return handler as ThreadDispatchHandler;
}

/**
 * Loads a handler module on this worker thread and runs its setup, within
 * {@link HANDLER_SETUP_DEADLINE_MS}.
 *
 * @param module - the module's URL
 * @param context - what the setup is given
 * @throws what loading or the setup threw, a `TypeError` for a module of the wrong shape, or an
 * `Error` when the deadline passed
 */
export function loadThreadHandler(
  module: string,
  context: ThreadHandlerContext,
): Promise<ThreadDispatchHandler> {
  return raceAbort(setUp(module, context), [], {
    ms: HANDLER_SETUP_DEADLINE_MS,
    error: () => new Error(`its setup did not finish within ${HANDLER_SETUP_DEADLINE_MS} ms`),
  });
}
