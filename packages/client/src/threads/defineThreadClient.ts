import { isMainThread } from 'node:worker_threads';
import { childLogger, Intents, messageOf } from '@bot/core';
import { shardIntentsOfThisThread, type ThreadHandlerContext, type ThreadHandlerSetup } from '@bot/gateway';
import type { Client } from '../client/Client.js';
import type { ClientBuilder } from '../client/ClientBuilder.js';
import { internalsOf } from '../client/clientInternals.js';
import { uncoveredIntentsWarning } from '../events/intentCoverage.js';
import { ThreadErrorForwarding } from './ThreadErrorForwarding.js';
import { ThreadEventSource } from './ThreadEventSource.js';

/** Builds the client of one worker thread: a builder (awaited) or a client built already. */
export type ThreadClientFactory = (
  context: ThreadHandlerContext,
) => ClientBuilder | Client | PromiseLike<ClientBuilder | Client>;

/**
 * Declares the default export of a module that runs a client on each worker thread of
 * `ClientBuilder.workers(count, { handler })`: every thread builds its own client with the
 * factory (event handlers, raw handlers, data, dispatch policy, reply rules…) and hands it the
 * dispatches of its own shards, so handlers use as many cores as there are threads. Models,
 * `ctx.api`, the reply helpers, the dispatch policy and the handler deadline work as on the main
 * thread; the thread's client has a REST client of its own (rate limits are tracked per thread)
 * and starts no shards (the main thread's client owns them). `ctx.shard.total` is the bot's shard
 * count; `ctx.shard.latency` is not known on the thread.
 *
 * What differs from a client of its own:
 * - its `backpressure()` pauses nothing, as it owns no shards: a thread is bounded by the
 *   gateway's `maxUnacked` (4,096 by default), counted over all its shards together;
 * - `shardStatus` and `shardsReady` never fire on it: they, and the shards' failures in `error()`,
 *   reach the main thread's client, which may register those hooks (and nothing else);
 * - do not call its `shutdown()`: the main thread's `client.shutdown()` ends the threads, and its
 *   deadline bounds the thread's handlers (as their shards' close grace); the thread's client then
 *   gives up at once on what still runs. If code on the thread shuts it down, the thread ends (with
 *   an error line) and its shards resume on a new thread, with a new client, from the last event
 *   handled;
 * - the shards identify with the main thread's client's intents, not the thread's;
 * - a builder the factory returns (from a function that is not `async`: awaiting a builder
 *   builds it) logs through the main thread's logger when it has no logger of its own;
 * - built by the thread or by the factory, its handler methods the shards' intents leave without
 *   events are warned of, and with no `error()` of its own it reports its failures (handlers that
 *   threw or ran late, events a shutdown gave up on) to the main thread's client's `error()`, each
 *   as a `ThreadClientError` (at most 20 in 10 s; the rest are counted in a log line).
 *
 * ```ts
 * // bot.ts: runs on every worker thread
 * export default defineThreadClient(() =>
 *   Client.builder(new Token(process.env.QQ_BOT_APP_ID!, process.env.QQ_BOT_SECRET!), Intents.default()).eventHandler({
 *     async groupMessageCreate(ctx, message) {
 *       await message.reply(`pong from shard ${ctx.shard.id}`);
 *     },
 *   }),
 * );
 * ```
 *
 * @param factory - builds the thread's client; given the thread's index, the `handlerData`, the
 *   main thread's logger and tokens
 * @returns the setup `workerThreads` calls on each thread
 */
export function defineThreadClient(factory: ThreadClientFactory): ThreadHandlerSetup {
  return async (context) => {
    // A builder is thenable: awaited, it would be built before the thread could complete it.
    const returned = factory(context);
    const made = isBuilder(returned) ? returned : await returned;
    const forwarding = new ThreadErrorForwarding(context.index, context.logger);
    const client = await threadReady(made, context, forwarding);
    const source = new ThreadEventSource();
    let closing = false;
    // Settles when the source stops: normally at close() below. Stopped before (code on the thread
    // shut the client down), every later event would be refused and counted as handled, so lost:
    // the thread ends instead, and its shards resume on a new one from the last event handled.
    void client.startFrom(source).then(
      () => closing || endThread(context, "the thread's client was shut down by code on the thread"),
      (error: unknown) => endThread(context, `the thread's client stopped receiving: ${messageOf(error)}`),
    );
    return {
      dispatch: (payload, shardId, shardCount) => source.deliver(payload, shardId, shardCount),
      // The thread's shards are closed, their handlings given their close grace (a main client's
      // shutdown deadline): what still runs is given up at once; streamed replies still open are
      // closed and REST released, within the 10 s the thread is given for it.
      close: async () => {
        closing = true;
        try {
          await client.shutdown({ deadlineMs: 0 });
        } finally {
          forwarding.flush();
        }
      },
    };
  };
}

/**
 * Ends this worker thread, saying why: it is restarted and its shards resume. The end waits a turn
 * of the event loop, so how far the handlings got (reported once per turn) crosses first.
 */
function endThread(context: ThreadHandlerContext, reason: string): void {
  if (isMainThread) throw new Error(`${reason}; a thread client runs only on a worker thread`);
  context.logger.error(`${reason}; the thread ends so that its shards resume on a new one`);
  setTimeout(() => process.exit(1), THREAD_END_DELAY_MS);
}

/** How long a thread whose client stopped receiving lives on: a few turns of its event loop. */
const THREAD_END_DELAY_MS = 20;

/**
 * The built client. A builder without a logger of its own logs through the main thread's. Built
 * here or by the factory, a client without an `error()` of its own sends its failures to the main
 * thread's client, and its handler methods the shards' intents leave without events are warned of.
 */
async function threadReady(
  made: ClientBuilder | Client,
  context: ThreadHandlerContext,
  forwarding: ThreadErrorForwarding,
): Promise<Client> {
  requireClientOrBuilder(made);
  const client =
    'getLogger' in made ? await (made.getLogger() === undefined ? made.logger(context.logger) : made) : made;
  const internals = internalsOf(client);
  // A client of another copy of this package keeps its failures and gets no warning.
  if (internals === undefined) return client;
  const { handlers, addErrorHandler } = internals;
  if (!handlers.some((handler) => handler.error !== undefined)) {
    addErrorHandler((error, ctx) => forwarding.report(error, ctx?.shard.id));
  }
  const intents = shardIntentsOfThisThread();
  const warning =
    intents === undefined ? undefined : uncoveredIntentsWarning(handlers, Intents.from(intents));
  if (warning !== undefined) {
    childLogger(client.log, 'start').warn(
      `${warning}. On a worker thread the shards identify with the main thread's client's intents, not ` +
        "this thread client's: add them to the main thread's Client.builder(…)",
    );
  }
  return client;
}

function isBuilder(value: unknown): value is ClientBuilder {
  return typeof (value as { getLogger?: unknown } | null)?.getLogger === 'function';
}

/**
 * A factory written without types (or cast) may return anything: what it returned is named, with
 * what to return, rather than failing later on a property of it.
 */
function requireClientOrBuilder(made: unknown): asserts made is ClientBuilder | Client {
  const has = (method: string): boolean =>
    typeof made === 'object' &&
    made !== null &&
    typeof (made as Record<string, unknown>)[method] === 'function';
  if (has('getLogger') || has('startFrom')) return;
  const what =
    made === null || made === undefined
      ? String(made)
      : typeof made === 'object'
        ? 'an object with neither getLogger() nor startFrom()'
        : `a ${typeof made}`;
  throw new TypeError(
    `its defineThreadClient factory returned ${what}, not a ClientBuilder or a Client: return ` +
      'Client.builder(…) (or the client it builds) from the factory',
  );
}
