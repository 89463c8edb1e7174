import { GatewayCloseCode } from '@bot/core';
import type { TokenRegistry } from '../auth/TokenRegistry.js';
import type { EventBus } from '../dispatch/EventBus.js';
import { EmulatorError } from '../EmulatorError.js';
import type { BotConnection } from '../gateway/BotConnection.js';
import type { GatewaySettings } from '../gateway/GatewayContext.js';
import type { GatewayServer } from '../gateway/GatewayServer.js';
import type { ChunkedUploads } from '../uploads/ChunkedUploads.js';
import type { RouteFailure, RouteFaults } from './RouteFaults.js';

/** Codes a server may put in a close frame (RFC 6455 plus the 3000–4999 application range). */
function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
      (code >= 3000 && code <= 4999))
  );
}

function requireShard(shardId: number): void {
  if (!Number.isInteger(shardId) || shardId < 0)
    throw new EmulatorError(`shard id must be a non-negative integer, got ${shardId}`);
}

function requireDuration(ms: number, what: string): void {
  if (!Number.isFinite(ms) || ms < 0)
    throw new EmulatorError(`${what} must be a non-negative number of ms, got ${ms}`);
}

/**
 * Fault injection. Shard faults act on the open connections whose session runs that shard id
 * and return how many connections they touched (0 when the shard is not connected).
 */
export class Faults {
  readonly #gateway: GatewayServer;
  readonly #settings: GatewaySettings;
  readonly #tokens: TokenRegistry;
  readonly #routes: RouteFaults;
  readonly #events: EventBus;
  readonly #uploads: Pick<ChunkedUploads, 'disarmFaults'>;
  #periodic: NodeJS.Timeout | undefined;

  /** @internal wired by the emulator */
  constructor(
    gateway: GatewayServer,
    settings: GatewaySettings,
    tokens: TokenRegistry,
    routes: RouteFaults,
    events: EventBus,
    uploads: Pick<ChunkedUploads, 'disarmFaults'>,
  ) {
    this.#gateway = gateway;
    this.#settings = settings;
    this.#tokens = tokens;
    this.#routes = routes;
    this.#events = events;
    this.#uploads = uploads;
  }

  /**
   * Closes a shard's connections with `code` (any sendable close code). Codes that end a session
   * on the platform (4001–4007, 4010–4014, 4900–4915 except 4902) also forget the session, so a
   * Resume afterwards gets op 9; others (4008, 4009, 1000, …) leave it resumable.
   */
  closeShard(shardId: number, code: number, reason = 'closed by fault injection'): number {
    requireShard(shardId);
    if (!isSendableCloseCode(code))
      throw new EmulatorError(
        `${code} cannot be sent in a close frame; use dropSocket() for an abnormal close`,
      );
    return this.#each(this.#gateway.connectionsOnShard(shardId), (c) => c.close(code, reason));
  }

  /** Sends op 7 (Reconnect) to a shard; its session waits for a Resume, buffering events. */
  reconnect(shardId: number): number {
    requireShard(shardId);
    return this.#each(this.#gateway.connectionsOnShard(shardId), (c) => c.requestReconnect());
  }

  /** Sends op 9 (Invalid Session) with `d = resumable`; when false the session is forgotten. */
  invalidSession(shardId: number, resumable: boolean): number {
    requireShard(shardId);
    return this.#each(this.#gateway.connectionsOnShard(shardId), (c) => c.invalidateSession(resumable));
  }

  /** Stops acknowledging heartbeats on a shard's current connections (new connections ack normally). */
  stopHeartbeatAcks(shardId: number): number {
    requireShard(shardId);
    return this.#each(this.#gateway.connectionsOnShard(shardId), (c) => c.stopHeartbeatAcks());
  }

  /** Destroys a shard's TCP sockets without a close frame (the bot sees 1006); sessions stay resumable. */
  dropSocket(shardId: number): number {
    requireShard(shardId);
    return this.#each(this.#gateway.connectionsOnShard(shardId), (c) => c.drop());
  }

  /** Closes every open gateway connection with `code`. */
  closeAll(code: number, reason = 'closed by fault injection'): number {
    if (!isSendableCloseCode(code)) throw new EmulatorError(`${code} cannot be sent in a close frame`);
    return this.#each(this.#gateway.openConnections(), (c) => c.close(code, reason));
  }

  /** Delays Hello on new connections by `ms` (0 restores the immediate Hello). */
  slowHello(ms: number): void {
    requireDuration(ms, 'slowHello');
    this.#settings.helloDelay = ms;
  }

  /**
   * Chooses how an Identify asking for intents the bot is not granted is refused: `'close'` with
   * 4014 (the default), or `'invalidSession'`: op 9 with `d: false` after spending a session
   * start, as the platform also does. A bot that retries that refusal burns its daily budget.
   */
  refuseDisallowedIntentsWith(answer: 'close' | 'invalidSession'): void {
    if (answer !== 'close' && answer !== 'invalidSession')
      throw new EmulatorError(`answer must be 'close' or 'invalidSession', got ${String(answer)}`);
    this.#settings.intentRefusal = answer;
  }

  /** Expires every access token now: REST answers 401/11244 and Identify/Resume close with 4004. */
  expireTokens(): void {
    this.#tokens.expireAll();
  }

  /**
   * Makes the next calls to a route fail, e.g.
   * `failRoute('POST /channels/{channel_id}/messages', { status: 429, retryAfter: 1, times: 2 })`.
   */
  failRoute(template: string, failure: RouteFailure): void {
    this.#routes.add(template, failure);
  }

  /** Delivers each of the next `count` events twice (same id), as the platform sometimes does. */
  duplicateNext(count = 1): void {
    if (!Number.isInteger(count) || count < 1)
      throw new EmulatorError(`count must be a positive integer, got ${count}`);
    this.#events.duplicateNext(count);
  }

  /**
   * Closes every connection with 4009 every `ms`, like the platform's periodic session expiry.
   * Returns a function that stops it; `0` stops a running one.
   */
  periodicInvalidation(ms: number): () => void {
    requireDuration(ms, 'periodicInvalidation');
    clearInterval(this.#periodic);
    this.#periodic = undefined;
    if (ms === 0) return () => undefined;
    const timer = setInterval(
      () => this.closeAll(GatewayCloseCode.SessionTimedOut, 'session expired (periodic)'),
      ms,
    );
    this.#periodic = timer;
    return () => {
      clearInterval(timer);
      if (this.#periodic === timer) this.#periodic = undefined;
    };
  }

  /**
   * Clears every standing fault: slow Hello, the op 9 intent refusal, route failures, duplicates,
   * periodic invalidation and the armed upload faults (`emu.uploads`' measurements and held PUTs
   * stay). `POST /__emulator/faults/reset` does the same.
   */
  reset(): void {
    this.#uploads.disarmFaults();
    this.#settings.helloDelay = 0;
    this.#settings.intentRefusal = 'close';
    this.#routes.clear();
    this.#events.clearDuplicates();
    clearInterval(this.#periodic);
    this.#periodic = undefined;
  }

  #each(connections: BotConnection[], action: (connection: BotConnection) => void): number {
    for (const connection of connections) action(connection);
    return connections.length;
  }
}
