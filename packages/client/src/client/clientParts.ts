import { Intents, childLogger, type BotLogger } from '@bot/core';
import { RestClient, type BotApi } from '@bot/http';
import {
  InMemorySessionStore,
  ShardManager,
  gatewayInfoFromRest,
  type DispatchPayload,
  type SessionStore,
  type ShardCloseEvent,
  type ShardState,
} from '@bot/gateway';
import { Dispatcher } from '../dispatch/Dispatcher.js';
import { SessionReplacedError } from '../errors/SessionReplacedError.js';
import { ReplySequencer } from '../models/ReplySequencer.js';
import type { OpenReplyStreams } from '../models/reply/OpenReplyStreams.js';
import type { ClientConfig } from './ClientConfig.js';
import { HandledSessionStore, type HandledPoint } from './HandledSessionStore.js';
import { dispatchesOnThreads } from './shardThreads.js';
import { CLIENT_PAUSE_HOLDERS } from './pauseHolders.js';
import type { ShardContexts } from './ShardContexts.js';

// How a client's configuration becomes the parts `Client` wires together: the REST client, the
// shard manager, the dispatcher, and the watch on sessions that end without a resume.

/**
 * The REST client of a configuration: its host, pacing, call sites, connection bounds and
 * rich-content fallback.
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
    ...(config.maxSockets === undefined ? {} : { maxSockets: config.maxSockets }),
    ...(config.maxWaitingForConnection === undefined
      ? {}
      : { maxWaitingForConnection: config.maxWaitingForConnection }),
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
        config.replyNumbering,
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

/** The session a shard last named in a state change: its id, and the seq it held then. */
interface SessionSeen {
  readonly sessionId: string;
  readonly seq: number | null;
}

/**
 * Tells when a shard's session ends without a resume: the shard then identifies a new session, and
 * what the platform sent the old one after its last seq is not replayed. The shard only logs
 * that (WARN); this brings it to `error()` as a {@link SessionReplacedError}, once per session.
 * The shard's `close` event names the session that ended and the seq it held, so nothing here
 * follows dispatches: the error names the shard's own resume point, on worker threads too.
 */
export class SessionWatch {
  readonly #manager: ShardManager;
  readonly #report: (error: SessionReplacedError, shardId: number) => void;
  readonly #sessions = new Map<number, SessionSeen>();

  /**
   * @param manager - the shards, whose status names their sessions
   * @param report - where a lost session is reported
   */
  public constructor(manager: ShardManager, report: (error: SessionReplacedError, shardId: number) => void) {
    this.#manager = manager;
    this.#report = report;
  }

  /**
   * A shard's state changed. A shard resuming (a stored session too) or ready names its session;
   * a shard stopped for good forgets it, so a later start that identifies is not a lost session.
   *
   * @param state - the new state
   * @param shardId - the shard
   */
  public state(state: ShardState, shardId: number): void {
    if (state === 'closed' || state === 'fatal' || state === 'idle') {
      this.#sessions.delete(shardId);
      return;
    }
    if (state !== 'resuming' && state !== 'ready') return;
    const status = this.#manager.shards.get(shardId)?.status();
    if (status?.sessionId === undefined) return;
    const seen = this.#sessions.get(shardId);
    // A READY that answers a Resume replaces the session with no close whose next step is identify.
    // The seq held at `resuming` is the Resume's: nothing of the old session comes after it.
    if (seen !== undefined && seen.sessionId !== status.sessionId) {
      this.#report(
        new SessionReplacedError(shardId, seen.sessionId, seen.seq, 'a new session answered the resume', {
          ending: 'newSession',
        }),
        shardId,
      );
    }
    this.#sessions.set(shardId, { sessionId: status.sessionId, seq: status.seq });
  }

  /**
   * A shard's connection ended. Next `identify` means its session is over: reported when it had one.
   *
   * @param event - the shard's `close` event
   * @param shardId - the shard
   */
  public closed(event: ShardCloseEvent, shardId: number): void {
    if (event.next !== 'identify') return;
    const seen = this.#sessions.get(shardId);
    this.#sessions.delete(shardId);
    const ended = event.session ?? (seen === undefined ? undefined : this.#heldBy(shardId, seen));
    if (ended === undefined) return;
    this.#report(new SessionReplacedError(shardId, ended.sessionId, ended.seq, event.reason, event), shardId);
  }

  /**
   * The session a close that names none ended (a shard handle of the user's strategy): the status's
   * seq while it still names the session, else the one held at the last state change.
   */
  #heldBy(shardId: number, seen: SessionSeen): SessionSeen {
    const status = this.#manager.shards.get(shardId)?.status();
    const seq = status?.sessionId === seen.sessionId && status.seq !== null ? status.seq : seen.seq;
    return { sessionId: seen.sessionId, seq };
  }
}
