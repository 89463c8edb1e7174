import type { BotLogger, Intents } from '@bot/core';
import type { RateLimitOptions, RichFallbackOptions, Token } from '@bot/http';
import type { IdentifyQueue, SessionStore } from '@bot/gateway';
import type { TypeMap } from '../data/TypeMap.js';
import type { WaterMarks } from '../dispatch/Backpressure.js';
import type { DispatchPolicy } from '../dispatch/DispatchPolicy.js';
import type { EventHandler, RawEventHandler } from '../events/EventHandler.js';
import type { ReplyWindowPolicy } from '../models/reply/replyRules.js';
import type { ReplyNumbering } from '../models/ReplySequencer.js';
import type { Presence } from '../presence/Presence.js';
import type { GatewayOptions } from './GatewayOptions.js';

/** Everything a {@link ClientBuilder} collected, validated, as the client is built from it. */
export interface ClientConfig {
  token: Token;
  intents: Intents;
  handlers: readonly EventHandler[];
  rawHandlers: readonly RawEventHandler[];
  presence: Presence;
  data: TypeMap;
  sandbox: boolean;
  apiUrl: string | undefined;
  tokenUrl: string | undefined;
  logger: BotLogger | undefined;
  dispatchPolicy: DispatchPolicy;
  identifyQueue: IdentifyQueue | undefined;
  sessionStore: SessionStore | undefined;
  rateLimits: RateLimitOptions | undefined;
  /** Whether each REST call records where it was made (the REST client's `callSites`). */
  callSites: boolean;
  /** The REST client's `maxSockets` (its default when absent). */
  maxSockets?: number | undefined;
  /** The REST client's `maxWaitingForConnection` (its default when absent). */
  maxWaitingForConnection?: number | undefined;
  gateway: GatewayOptions;
  backpressure: WaterMarks;
  shutdownDeadlineMs: number;
  /** How long a shard waits for an event's handlers, in milliseconds; `Infinity`: no limit. */
  handlerTimeoutMs: number;
  /** Whether replies check their message's reply window first (`'enforce'` when absent). */
  replyWindow?: ReplyWindowPolicy | undefined;
  /** Inbound messages whose reply numbers are kept (20,000 when absent). */
  replySequencerCapacity?: number | undefined;
  /** What a reply does with a `msg_seq` another process used (`'refuseTaken'` when absent). */
  replyNumbering?: ReplyNumbering | undefined;
  /** The rich-content fallback, when enabled (off when absent). */
  richContentFallback?: RichFallbackOptions | undefined;
}
