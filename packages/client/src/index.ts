export { Client, type ClientShutdownOptions, type WebhookStartOptions } from './client/Client.js';
export { ClientBuilder, DEFAULT_SHUTDOWN_DEADLINE_MS } from './client/ClientBuilder.js';
export type { ClientConfig } from './client/ClientConfig.js';
export type { GatewayOptions } from './client/GatewayOptions.js';
export { Context, type ShardInfo } from './context/Context.js';
export { TypeMap, defineKey, MissingDataError, type DataKey } from './data/TypeMap.js';
export { DEFAULT_DISPATCH_POLICY, type DispatchPolicy } from './dispatch/DispatchPolicy.js';
export {
  DEFAULT_HIGH_WATER_MARK,
  type BackpressureOptions,
  type WaterMarks,
} from './dispatch/Backpressure.js';
export type { AbandonedEvent } from './dispatch/Dispatcher.js';
export type {
  EventHandler,
  EventMethod,
  HandlerResult,
  RawEventHandler,
  ShardStatusEvent,
  ShardsReadyEvent,
} from './events/EventHandler.js';
export { EVENT_TABLE, routeOf, type EventRoute } from './events/eventTable.js';
export { HandlerError } from './events/HandlerError.js';
export { AbandonedEventsError } from './events/AbandonedEventsError.js';
export { toClientError, type ClientError } from './events/ClientError.js';
export { Intents, IntentFlags, type IntentName } from './intents/Intents.js';
export { DEFAULT_PRESENCE, type Activity, type OnlineStatus, type Presence } from './presence/Presence.js';
export * from './models/index.js';
// The pieces bots use next to the client, so one import is enough for most of them.
export {
  Token,
  BotApi,
  BotError,
  type HttpError,
  ApiError,
  RateLimitedError,
  AuthenticationError,
  NetworkError,
  TimeoutError,
  ValidationError,
  PendingAudit,
  isPendingAudit,
  MessageParams,
  OpenMessageParams,
  createLogger,
  type BotLogger,
} from '@bot/http';
export { FatalGatewayError, GatewayError } from '@bot/gateway';
