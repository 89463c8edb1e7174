import { raceAbort } from '@bot/core';
import type { ThreadDispatchHandler, ThreadHandlerContext } from './ThreadHandler.js';

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

async function setUp(module: string, context: ThreadHandlerContext): Promise<ThreadDispatchHandler> {
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
