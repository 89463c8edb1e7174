import { childLogger, createLogger, type TypedEmitter } from '@bot/core';
import { GatewayError } from '../errors/GatewayError.js';
import { qqProtocol } from '../protocol/qq.js';
import { InMemorySessionStore } from '../session/InMemorySessionStore.js';
import { SessionCheckpoint } from '../session/SessionCheckpoint.js';
import { closeRuleLookup } from './closePolicy.js';
import { Introduction } from './Introduction.js';
import { ReadingPause } from './ReadingPause.js';
import { ReconnectLog } from './ReconnectLog.js';
import { ReconnectPlanner } from './ReconnectPlanner.js';
import type { AttemptEvents, AttemptStep } from './SessionAttempt.js';
import { SessionPosition } from './SessionPosition.js';
import type { ShardEvents } from './ShardEvents.js';
import type { LoopParts } from './ShardLoop.js';
import { ShardNotifier } from './ShardNotifier.js';
import {
  DEFAULT_CLOSE_GRACE_MS,
  DEFAULT_SESSION_ANSWER_MS,
  DEFAULT_SESSION_STORE_MS,
  intentBits,
  type ShardOptions,
} from './ShardOptions.js';
import type { ShardState } from './ShardState.js';
import { StoreDeadline } from './StoreDeadline.js';

/** What the shard itself does for its parts. */
export interface ShardHooks {
  /** The running attempt took a step. */
  progress(step: AttemptStep): void;
  /** A heartbeat was acknowledged after `latency` milliseconds; `scheduled`: not one op 1 asked for. */
  heartbeat(latency: number, scheduled: boolean): void;
  /** Moves the shard to `state`. */
  setState(state: ShardState): void;
}

/**
 * Builds a shard's parts from its (validated) options, every default applied here.
 *
 * @param options - the shard's options
 * @param emitter - the shard, whose listeners hear its events
 * @param hooks - what the shard does itself
 */
export function shardParts(
  options: ShardOptions,
  emitter: TypedEmitter<ShardEvents>,
  hooks: ShardHooks,
): LoopParts {
  const protocol = options.protocol ?? qqProtocol;
  const log = childLogger(options.logger ?? createLogger('gateway'), `shard:${options.id}`);
  const notify = new ShardNotifier(emitter, options.id, log, options.onDispatch);
  const checkpoint = new SessionCheckpoint(
    options.sessionStore ?? new InMemorySessionStore(),
    options.id,
    options.seqFlushDelayMs ?? 5_000,
    (error) =>
      notify.report(
        error instanceof GatewayError
          ? error
          : new GatewayError('session store write failed', options.id, { cause: error }),
      ),
    options.timeouts?.sessionStoreMs,
  );
  const store = options.sessionStore;
  const durableSeq = store?.durableSeq?.bind(store);
  const position = new SessionPosition(
    checkpoint,
    options.total,
    durableSeq && ((sessionId) => durableSeq(options.id, sessionId)),
  );
  const introduction = new Introduction({
    shardId: options.id,
    shardCount: options.total,
    intents: intentBits(options.intents),
    presence: options.presence,
    protocol,
    tokens: options.tokens,
    identifyQueue: options.identifyQueue,
    debug: (message) => notify.debug(message),
  });
  const setup = {
    connection: {
      url: protocol.connectUrl(options.gatewayUrl),
      protocol,
      handshakeTimeoutMs: options.timeouts?.handshakeMs ?? 15_000,
      helloTimeoutMs: options.timeouts?.helloMs ?? 20_000,
      maxPayload: options.maxPayload ?? 4 * 1024 * 1024,
      sendLimit: options.sendLimit ?? {},
    },
    closeGraceMs: options.timeouts?.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS,
    sessionAnswerMs: options.timeouts?.sessionAnswerMs ?? DEFAULT_SESSION_ANSWER_MS,
    introduction,
    position,
  };
  // Closures over the hooks, not the shard: an attempt reaches these five members and nothing else.
  const events: AttemptEvents = {
    progress: (step) => hooks.progress(step),
    dispatch: (payload) => notify.dispatch(payload),
    heartbeat: (latency, scheduled) => hooks.heartbeat(latency, scheduled),
    debug: (message) => notify.debug(message),
    report: (error) => notify.report(error),
  };
  return {
    setup,
    events,
    planner: new ReconnectPlanner({
      backoff: options.backoff,
      ruleFor: closeRuleLookup(protocol, options.closeCodes),
      maxAuthFailures: options.maxAuthFailures ?? 2,
      ...(options.sessionStartTotal === undefined ? {} : { sessionStartTotal: options.sessionStartTotal }),
    }),
    position,
    reading: new ReadingPause(),
    tokens: options.tokens,
    notify,
    reconnectLog: new ReconnectLog(log),
    storeDeadline: new StoreDeadline(
      options.timeouts?.sessionStoreMs ?? DEFAULT_SESSION_STORE_MS,
      options.id,
      (error) => notify.report(error),
    ),
    setState: (state) => hooks.setState(state),
  };
}
