import type { BotLogger } from '@bot/core';
import type { DispatchPayload } from '../protocol/GatewayProtocol.js';
import type { TokenSource } from '../shard/TokenSource.js';

/** Longest a handler's `close()` may take when its thread is stopped. */
export const HANDLER_CLOSE_DEADLINE_MS = 10_000;

/** What a {@link ThreadHandlerSetup} is given on each worker thread. */
export interface ThreadHandlerContext {
  /** Index of the thread in its strategy (shard `id` runs on thread `id % workers`). */
  readonly index: number;
  /** `handlerData` of the strategy's options, as a structured clone made for this thread. */
  readonly data: unknown;
  /** The manager's logger, reached through the main thread (which prints and masks the lines). */
  readonly logger: BotLogger;
  /** The manager's access tokens, asked of the main thread: one token for every thread. */
  readonly tokens: TokenSource;
}

/**
 * Handles the dispatches of a worker thread's shards on that thread. `dispatch` is called once per
 * event, in the order each shard read them. A promise it returns counts as the event still being
 * handled: the thread stops reading its sockets while too many are (see `maxUnacked`), and a shard
 * that closes waits for its own (at most its close grace) before it reports itself closed.
 */
export interface ThreadDispatchHandler {
  /**
   * Handles one dispatch. A throw or a rejection is reported as the shard's `error` (a
   * `GatewayError` whose `cause` is what was thrown); the next events still come.
   *
   * @param payload - the dispatch, as the shard parsed it (`op` 0, `t`, `s`, `d`, `id`)
   * @param shardId - the shard that read it
   * @param shardCount - the bot's shard count that shard runs in
   */
  dispatch(payload: DispatchPayload, shardId: number, shardCount: number): void | PromiseLike<unknown>;
  /**
   * Called once the thread's last shard is closed, before the thread ends: finish what the handler
   * keeps (flush metrics, shut a client down). The thread ends when it settles, or after 10 s; a
   * throw, a rejection or the 10 s running out is logged as an error under the manager's logger.
   */
  close?(): void | PromiseLike<unknown>;
}

/**
 * The default export of a handler module: called once on each worker thread (again on a thread
 * restarted after a crash), before its shards start; returns the thread's handler. A throw or a
 * rejection stops the thread's shards for good with a `ThreadHandlerError`.
 */
export type ThreadHandlerSetup = (
  context: ThreadHandlerContext,
) => ThreadDispatchHandler | PromiseLike<ThreadDispatchHandler>;

/**
 * Declares the default export of a handler module for `workerThreads({ handler })`, typed. The
 * module runs on every worker thread, never on the main thread: it must import what it uses
 * itself, since nothing of the main thread's memory is shared.
 *
 * ```ts
 * // dispatches.ts
 * export default defineThreadHandler(({ index, logger }) => ({
 *   dispatch(payload, shardId) {
 *     if (payload.t === 'GROUP_AT_MESSAGE_CREATE') logger.info(`thread ${index}, shard ${shardId}: ${payload.id}`);
 *   },
 * }));
 * ```
 *
 * @param setup - builds the thread's handler
 * @returns `setup`, unchanged
 */
export function defineThreadHandler(setup: ThreadHandlerSetup): ThreadHandlerSetup {
  return setup;
}
