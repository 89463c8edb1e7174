import { Intents, childLogger, type BotLogger } from '@bot/core';
import { RestClient, type BotApi } from '@bot/http';
import {
  InMemorySessionStore,
  ShardManager,
  gatewayInfoFromRest,
  type DispatchPayload,
  type SessionStore,
} from '@bot/gateway';
import { Dispatcher } from '../dispatch/Dispatcher.js';
import { ReplySequencer } from '../models/ReplySequencer.js';
import type { OpenReplyStreams } from '../models/reply/OpenReplyStreams.js';
import type { ClientConfig } from './ClientConfig.js';
import { HandledSessionStore, type HandledPoint } from './HandledSessionStore.js';
import { dispatchesOnThreads } from './shardThreads.js';
import { CLIENT_PAUSE_HOLDERS } from './pauseHolders.js';
import type { ShardContexts } from './ShardContexts.js';

// How a client's configuration becomes the parts `Client` wires together: the REST client, the
// shard manager and the dispatcher.

/**
 * The REST client of a configuration: its host, pacing, call sites and rich-content fallback.
 *
 * @param config - what the builder collected
 * @param logger - the client's logger
 */
export function createRestClient(config: ClientConfig, logger: BotLogger): RestClient {
  return new RestClient({
    token: config.token,
    sandbox: config.sandbox,
    logger,
    ...(config.apiUrl === undefined ? {} : { baseUrl: config.apiUrl }),
    ...(config.tokenUrl === undefined ? {} : { tokenUrl: config.tokenUrl }),
    ...(config.rateLimits === undefined ? {} : { rateLimits: config.rateLimits }),
    callSites: config.callSites,
    ...(config.richContentFallback === undefined ? {} : { richContentFallback: config.richContentFallback }),
  });
}

/**
 * The shard manager of a configuration: the caller's gateway options, then what the client wires.
 *
 * @param config - what the builder collected
 * @param rest - the client's REST client, for tokens and the gateway URL
 * @param logger - the client's logger
 * @param onDispatch - where each shard hands its dispatch payloads
 * @param handled - how far each shard's events are handled by this client's dispatcher, and when
 *   they drain
 */
export function createShardManager(
  config: ClientConfig,
  rest: RestClient,
  logger: BotLogger,
  onDispatch: (payload: DispatchPayload, shardId: number) => void,
  handled: HandledPoint,
): ShardManager {
  const sessionStore = sessionStoreOf(config, handled);
  return new ShardManager({
    // First, so what the client wires itself always wins, whatever an untyped caller put in.
    ...config.gateway,
    intents: config.intents.bits,
    tokens: rest.tokens,
    gateway: gatewayInfoFromRest(rest),
    presence: config.presence,
    intentName: Intents.nameOf,
    logger,
    ...(config.identifyQueue === undefined ? {} : { identifyQueue: config.identifyQueue }),
    ...(sessionStore === undefined ? {} : { sessionStore }),
    // Each shard calls this directly: one hop from a frame to the dispatcher.
    onDispatch,
  });
}

/**
 * The session store the shards are given. When their events are handled here, this client's
 * dispatcher knows how far: the store then never holds, and heartbeats never acknowledge, a seq
 * past that point ({@link HandledSessionStore}). Shards on worker threads are told that point
 * (with how far the user's store holds their sessions durably, if it tells) after each batch that
 * crosses and each store call, whatever the store: a thread that crashes is resumed from the last
 * event handled, and a platform strict about resumes must not have heard of a later one.
 * With a handler module on the threads, each thread caps its sessions at what its handlers
 * finished: the user's store is kept as it is.
 */
function sessionStoreOf(config: ClientConfig, handled: HandledPoint): SessionStore | undefined {
  if (dispatchesOnThreads(config.gateway.strategy)) return config.sessionStore;
  const store = config.sessionStore ?? new InMemorySessionStore();
  return new HandledSessionStore(store, handled);
}

/** What the dispatcher of a client works with besides the configuration. */
export interface DispatcherParts {
  /** The REST API handed to each event's context. */
  readonly api: BotApi;
  /** Streamed replies still open, closed by `shutdown()`. */
  readonly streams: OpenReplyStreams;
  /** The context of each shard's events. */
  readonly contexts: ShardContexts;
  /** The shards whose reading the dispatcher pauses and resumes. */
  readonly shardManager: ShardManager;
  /** The client's logger. */
  readonly logger: BotLogger;
}

/**
 * The dispatcher of a configuration: handlers, policy, reply rules and back-pressure.
 *
 * @param config - what the builder collected
 * @param parts - the client's parts the dispatcher uses
 */
export function createDispatcher(config: ClientConfig, parts: DispatcherParts): Dispatcher {
  const { shardManager } = parts;
  return new Dispatcher({
    handlers: config.handlers,
    rawHandlers: config.rawHandlers,
    policy: config.dispatchPolicy,
    handlerTimeoutMs: config.handlerTimeoutMs,
    binding: {
      api: parts.api,
      replies: new ReplySequencer(
        config.replySequencerCapacity,
        undefined,
        childLogger(parts.logger, 'replies'),
      ),
      replyWindow: config.replyWindow ?? 'enforce',
      streams: parts.streams,
    },
    contextFor: (shardId) => parts.contexts.of(shardId),
    log: childLogger(parts.logger, 'dispatch'),
    flow: {
      ...config.backpressure,
      // Under the lanes' own holder: a shutdown's or a publisher's pause outlives their resume.
      pause: (shardId) => shardManager.shards.get(shardId)?.pause(CLIENT_PAUSE_HOLDERS.dispatch),
      resume: (shardId) => shardManager.shards.get(shardId)?.resume(CLIENT_PAUSE_HOLDERS.dispatch),
    },
  });
}
