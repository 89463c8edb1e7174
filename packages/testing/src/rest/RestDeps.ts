import type { EventBus } from '../dispatch/EventBus.js';
import type { GatewayBot } from '../protocol/wire.js';
import type { World } from '../state/World.js';
import type { ChunkedUploads } from '../uploads/ChunkedUploads.js';
import type { IdFactory } from '../util/ids.js';
import type { Router } from './Router.js';
import type { AuditQueue } from './rules/AuditQueue.js';
import type { ChannelRateLimiter } from './rules/ChannelRateLimiter.js';
import type { ReplyLedger } from './rules/ReplyLedger.js';
import type { RichContentGrants } from './rules/RichContentGrants.js';

/** What route handlers work with. */
export interface RestDeps {
  readonly world: World;
  readonly ids: IdFactory;
  readonly events: EventBus;
  readonly replies: ReplyLedger;
  readonly rate: ChannelRateLimiter;
  readonly audits: AuditQueue;
  /** What the bot may send of markdown and keyboards. */
  readonly richContent: RichContentGrants;
  readonly appId: string;
  /** Chunked media uploads and their part URLs. */
  readonly uploads: ChunkedUploads;
  /** The WebSocket URL `GET /gateway` reports. */
  gatewayUrl(): string;
  /** The `GET /gateway/bot` answer (shards and session start budget). */
  gatewayBot(): GatewayBot;
}

/** A module of routes: registers its handlers on the router. */
export type RouteModule = (router: Router, deps: RestDeps) => void;
