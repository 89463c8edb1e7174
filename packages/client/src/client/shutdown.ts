import { MAX_TIMER_DELAY, msUntil, requireInteger, steadyNow } from '@bot/core';
import type { RestClient } from '@bot/http';
import type { ShardManager } from '@bot/gateway';
import type { Dispatcher } from '../dispatch/Dispatcher.js';
import type { OpenReplyStreams } from '../models/reply/OpenReplyStreams.js';
import { streamErrors } from '../models/reply/ReplyStreamError.js';
import { SourceStopError } from '../errors/SourceStopError.js';
import { CLIENT_PAUSE_HOLDERS } from './pauseHolders.js';
import { settlesWithin } from '../util/settlesWithin.js';

/** Options of {@link Client.shutdown}. */
export interface ClientShutdownOptions {
  /** Close the sessions for good instead of leaving them resumable (`false` by default). */
  invalidateSessions?: boolean | undefined;
  /**
   * How long handlers may take to finish the events already read, in milliseconds; the builder's
   * `shutdownDeadline` (10 s by default) when omitted. Events still not handled then are reported
   * to `error()` as one `AbandonedEventsError`. With the handlers on worker threads it is also
   * their shards' close grace, which bounds those handlers.
   */
  deadlineMs?: number | undefined;
}

/**
 * Checks a shutdown deadline: a whole number of milliseconds from 0 to {@link MAX_TIMER_DELAY}
 * (Node fires a longer timer after 1 ms, which would give up on every event at once).
 *
 * @param ms - the deadline
 * @param field - the caller's name for it
 * @returns the deadline, unchanged
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function requireShutdownDeadline(ms: number, field: string): number {
  return requireInteger(ms, field, 0, MAX_TIMER_DELAY);
}

/**
 * How long `error()` handlers get for the report of abandoned events, past the deadline: the
 * report is the last thing they are told, and one that never settles must not hold the shutdown.
 */
const ABANDONED_REPORT_GRACE_MS = 1_000;

/** How long the closing frames of streams left open may take (docs/protocol.md §15.1). */
const STREAM_CLOSE_GRACE_MS = 5_000;

/** One thing a client reads events from, being stopped. */
export interface StoppingSource {
  /** What it is, as an error names it (`the webhook server`). */
  readonly name: string;
  /** Settles once it has stopped; a rejection is reported, and the shutdown goes on. */
  readonly stopped: Promise<unknown>;
}

/** What a client's shutdown stops, in the order of {@link shutDownClient}. */
export interface ClientParts {
  /** Its shards: paused first, closed once the backlog is handled or given up. */
  shardManager: ShardManager;
  /** Closes the webhook server and stops the event sources, after the shards are paused. */
  stopReading(): readonly StoppingSource[];
  /** Its handlers' backlog. */
  dispatcher: Dispatcher;
  /**
   * Streamed replies still open once the backlog is over: aborted, so each closes for its user;
   * closed (no new one starts) before REST is released.
   */
  openStreams?: OpenReplyStreams;
  /** Released last. */
  rest: RestClient;
  /**
   * Whether the handlers run on worker threads (`workers(n, { handler })`): their shards then
   * close with what is left of the deadline as their grace, which is what the threads' handlers get.
   */
  handlersOnThreads?: boolean;
}

/**
 * The shutdown procedure of a client (see `Client.shutdown`): stop reading, let the handlers
 * finish what was read until the deadline, report what is given up, close the sessions, release
 * REST. A source that fails to stop is reported as a {@link SourceStopError} and cuts nothing
 * short: the handlers get until the deadline all the same.
 *
 * @param parts - what to stop
 * @param deadlineMs - how long the backlog may take, checked by the caller
 * @param invalidateSessions - close the sessions for good instead of leaving them resumable
 */
export async function shutDownClient(
  parts: ClientParts,
  deadlineMs: number,
  invalidateSessions: boolean,
): Promise<void> {
  const { shardManager, dispatcher } = parts;
  for (const shard of shardManager.shards.values()) shard.pause(CLIENT_PAUSE_HOLDERS.shutdown);
  const stopped = Promise.all(
    parts.stopReading().map(({ name, stopped: stopping }) =>
      stopping.then(undefined, (error: unknown) => {
        void dispatcher.reportError(new SourceStopError(name, error));
      }),
    ),
  );
  // On the steady clock: a wall clock stepped forward must not cut the handlers' time short.
  const deadlineAt = steadyNow() + deadlineMs;
  await drainOrAbandon(dispatcher, Promise.all([stopped, dispatcher.onIdle()]), deadlineMs, deadlineMs);
  await settlesWithin(
    parts.openStreams?.abortAll(streamErrors.shutDown()) ?? Promise.resolve(),
    STREAM_CLOSE_GRACE_MS,
  );
  // Handlers on threads finish within their shards' close grace, and a thread's client abandons
  // what still runs after it: the grace is what is left of the deadline, which bounds it all.
  const grace = parts.handlersOnThreads ? { timeoutMs: msUntil(deadlineAt) } : {};
  await shardManager.shutdownAll({ ...(invalidateSessions ? { invalidateSessions: true } : {}), ...grace });
  // Shards on worker threads: events that were crossing when the pause went out reach the handlers
  // up to the close (a shard's close comes after its last event). They get what is left of the
  // deadline and are reported as abandoned after it: no handler runs on once REST is released.
  await drainOrAbandon(dispatcher, dispatcher.onIdle(), msUntil(deadlineAt), deadlineMs);
  // Handlers given up on, and those events, may have opened streams since: closed while REST still
  // works, or their users would see them "generating" for good.
  await settlesWithin(parts.openStreams?.close() ?? Promise.resolve(), STREAM_CLOSE_GRACE_MS);
  parts.rest.destroy();
}

/**
 * Waits up to `waitMs` for `backlog`; then gives up on what is left and reports it to `error()`
 * as one `AbandonedEventsError`.
 */
async function drainOrAbandon(
  dispatcher: Dispatcher,
  backlog: Promise<unknown>,
  waitMs: number,
  deadlineMs: number,
): Promise<void> {
  if (await settlesWithin(backlog, waitMs)) return;
  const abandoned = dispatcher.abandon(deadlineMs);
  if (abandoned !== undefined) {
    await settlesWithin(dispatcher.reportError(abandoned), ABANDONED_REPORT_GRACE_MS);
  }
}
