export {
  Client,
  type ClientShutdownOptions,
  type ClientWebhookOptions,
  type WebhookStartOptions,
} from './client/Client.js';
export { ClientBuilder } from './client/ClientBuilder.js';
export { GatewaySettings } from './client/gatewaySettings.js';
export { DispatchSettings, DEFAULT_SHUTDOWN_DEADLINE_MS } from './client/dispatchSettings.js';
export { ReplySettings } from './client/replySettings.js';
export { CLIENT_PAUSE_HOLDERS } from './client/pauseHolders.js';
export type { ClientConfig } from './client/ClientConfig.js';
export type { GatewayOptions } from './client/GatewayOptions.js';
export type { ShardThreadsOptions } from './client/shardThreads.js';
export { defineThreadClient, type ThreadClientFactory } from './threads/defineThreadClient.js';
export { Context, type ShardInfo } from './context/Context.js';
export { TypeMap, defineKey, MissingDataError, type DataKey } from './data/TypeMap.js';
export { DEFAULT_DISPATCH_POLICY, type DispatchPolicy } from './dispatch/DispatchPolicy.js';
export { DEFAULT_HANDLER_TIMEOUT_MS } from './dispatch/handlerTimeout.js';
export {
  DEFAULT_HIGH_WATER_MARK,
  type BackpressureOptions,
  type WaterMarks,
} from './dispatch/Backpressure.js';
export type { AbandonedEvent } from './dispatch/AbandonedEvent.js';
export type {
  DispatchEventHandlers,
  EventHandler,
  EventMethod,
  HandlerMethod,
  HandlerResult,
  LifecycleMethod,
  RawEventHandler,
  ShardStatusEvent,
  ShardsReadyEvent,
} from './events/EventHandler.js';
export { EVENT_TABLE, routeOf, type EventRoute, type EventTable } from './events/eventTable.js';
export { HandlerError } from './errors/HandlerError.js';
export { HandlerTimeoutError } from './errors/HandlerTimeoutError.js';
export { MalformedEventError } from './errors/MalformedEventError.js';
export { AbandonedEventsError } from './errors/AbandonedEventsError.js';
export { SourceStopError } from './errors/SourceStopError.js';
export { SessionReplacedError, type SessionReplacedCause } from './errors/SessionReplacedError.js';
export { ClientShutDownError } from './errors/ClientShutDownError.js';
export { EventReplyError, type EventReplyRefusal } from './errors/EventReplyError.js';
export { InteractionAckError } from './errors/InteractionAckError.js';
export { ReplyAlreadySentError } from './errors/ReplyAlreadySentError.js';
export { REPLY_NUMBERINGS, type ReplyNumbering } from './models/ReplySequencer.js';
export { toClientError, type ClientError } from './errors/ClientError.js';
export { Intents, IntentFlags, type IntentName } from '@bot/core';
export {
  DISPATCH_EVENTS,
  intentOfEvent,
  intentsForEvents,
  type DispatchEventDeclaration,
  type DispatchEventMethod,
  type DispatchEvents,
  type PayloadOf,
  type PayloadType,
} from '@bot/core';
export { DEFAULT_PRESENCE, type Activity, type OnlineStatus, type Presence } from './presence/Presence.js';
export * from './models/index.js';
// Everything of the layers below, so one import is enough: REST (`BotApi`, its resource groups,
// every wire type, the error classes, the message builders) and the gateway (`ShardManager`,
// `Shard`, their options and states, stores and queues), as the client's own signatures name them.
export * from '@bot/http';
export * from '@bot/gateway';
// Names both a model of this package and a wire type of `@bot/http` have: the bare name is the
// model. Every export of `@bot/http`, wire types included, is also under `Http`: `Http.Message`.
export {
  Channel,
  FriendEvent,
  GroupRobotEvent,
  Guild,
  Interaction,
  Member,
  Message,
  MessageDelete,
  MessageReaction,
  OpenForumEvent,
  User,
} from './models/index.js';
export type * as Http from '@bot/http';
