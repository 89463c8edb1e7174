import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { GatewayProtocol, IdentifyParams, Presence } from '../protocol/GatewayProtocol.js';
import type { TokenSource } from './TokenSource.js';

/** What a shard introduces itself with. */
export interface IntroductionSettings {
  shardId: number;
  shardCount: number;
  /** Intent bits. */
  intents: number;
  presence: Presence | undefined;
  protocol: GatewayProtocol;
  tokens: TokenSource;
  identifyQueue: IdentifyQueue;
  /** Where the one-time note about an unsupported presence goes. */
  debug: (message: string) => void;
}

/**
 * Who a shard is to the gateway, and what it needs to say so: the shard pair, the access tokens,
 * the identify turns and the Identify parameters. Fixed for the shard's life; each attempt uses it.
 */
export class Introduction {
  /** Shard id. */
  public readonly shardId: number;
  /** Shard count. */
  public readonly shardCount: number;
  /** Where access tokens come from. */
  public readonly tokens: TokenSource;
  /** Paces identifies across shards. */
  public readonly identifyQueue: IdentifyQueue;
  readonly #settings: IntroductionSettings;
  #presenceNoted = false;

  /** @param settings - the shard's identity and services */
  public constructor(settings: IntroductionSettings) {
    this.shardId = settings.shardId;
    this.shardCount = settings.shardCount;
    this.tokens = settings.tokens;
    this.identifyQueue = settings.identifyQueue;
    this.#settings = settings;
  }

  /**
   * Tells the identify queue that this shard's Identify frame has just been written, so the
   * bucket's window counts from the frame rather than from the turn (see `IdentifyQueue.identifySent`).
   */
  public identifySent(): void {
    this.identifyQueue.identifySent?.(this.shardId);
  }

  /** Identify parameters for an access token: intents, shard pair, and presence where supported. */
  public identifyParams(accessToken: string): IdentifyParams {
    const { intents, presence, protocol } = this.#settings;
    const params = { accessToken, intents, shard: [this.shardId, this.shardCount] as const };
    if (presence === undefined) return params;
    if (protocol.supportsPresence) return { ...params, presence };
    if (!this.#presenceNoted) {
      this.#presenceNoted = true;
      this.#settings.debug(`presence not sent: the ${protocol.name} gateway has no presence support`);
    }
    return params;
  }
}
