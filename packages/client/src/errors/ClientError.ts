import { isBotError, messageOf, ValidationError, type BotErrorKinds } from '@bot/core';
import {
  AbortedAfterSendError,
  ApiError,
  AuthenticationError,
  ClientDestroyedError,
  ConnectionQueueFullError,
  DecodeError,
  DuplicateSendError,
  FileImageTooLargeError,
  MediaTooLargeError,
  MediaUploadError,
  NetworkError,
  PanelListError,
  RateLimitedError,
  ResponseTooLargeError,
  RichContentFallbackError,
  TimeoutError,
  type HttpError,
} from '@bot/http';
import {
  GatewayError,
  RemoteBotError,
  ThreadClientError,
  ThreadHandlerError,
  WorkerRestartsExhaustedError,
} from '@bot/gateway';
import { AbandonedEventsError } from './AbandonedEventsError.js';
import { HandlerError } from './HandlerError.js';
import { HandlerTimeoutError } from './HandlerTimeoutError.js';
import { MalformedEventError } from './MalformedEventError.js';

/**
 * Everything `error()` can receive. `switch (error.kind)` narrows it:
 *
 * ```ts
 * error(error: ClientError) {
 *   switch (error.kind) {
 *     case 'handler': console.log(error.event, error.handler); break;
 *     case 'handlerTimeout': console.log(error.event, error.eventId, error.ranMs); break;
 *     case 'malformedEvent': console.log(error.event, error.eventId, error.field); break;
 *     case 'api': console.log(error.code, error.traceId); break;
 *     case 'gateway': console.log(error.shardId); break;
 *     case 'abandoned': console.log(error.events.map((event) => event.seq)); break;
 *     case 'threadHandler': console.log(error.thread, error.shardIds, error.cause); break;
 *     case 'workerRestartsExhausted': console.log(error.thread, error.restarts, error.cause); break;
 *     case 'shardLease': console.log(error.conflict, error.shardId, error.owner); break;
 *     case 'shardCountConflict': console.log(error.shardCount, error.otherShardCount); break;
 *   }
 * }
 * ```
 */
export type ClientError =
  | HttpError
  | GatewayError
  | HandlerError
  | HandlerTimeoutError
  | MalformedEventError
  | AbandonedEventsError
  // A worker thread's handler module failed to set up: its shards stopped for good.
  | ThreadHandlerError
  // A worker thread's client, with no error() of its own, reported a failure (a handler's, …).
  | ThreadClientError
  // A worker thread kept exiting past its restart budget: its shards stopped for good.
  | WorkerRestartsExhaustedError
  // Another process runs a shard (`RedisShardLeases`): it was not started, or it stopped. The
  // `ShardLeaseError` of `@bot/gateway/redis` where the program imports that module (it must, to
  // pass a `RedisShardLeases`), named through its kind so that `@bot/client` neither loads the Redis
  // module nor needs its types in bots without Redis.
  | (BotErrorKinds extends { shardLease: infer Lease } ? Lease : never)
  // A process of another shard count runs shards of this bot: the start was refused. The
  // `ShardCountConflictError` of `@bot/gateway/redis`, named through its kind as above.
  | (BotErrorKinds extends { shardCountConflict: infer Conflict } ? Conflict : never);

const KNOWN = [
  ApiError,
  AuthenticationError,
  ClientDestroyedError,
  DecodeError,
  DuplicateSendError,
  NetworkError,
  RateLimitedError,
  ResponseTooLargeError,
  TimeoutError,
  ConnectionQueueFullError,
  AbortedAfterSendError,
  RichContentFallbackError,
  PanelListError,
  MediaUploadError,
  MediaTooLargeError,
  FileImageTooLargeError,
  ValidationError,
  GatewayError,
  HandlerError,
  HandlerTimeoutError,
  MalformedEventError,
  AbandonedEventsError,
  ThreadHandlerError,
  ThreadClientError,
  WorkerRestartsExhaustedError,
];

/**
 * Kinds of `@bot/gateway/redis` errors that pass as they are, recognised by kind: that module is not
 * loaded by the client. A `ShardLeaseError` is what the docs promise an overlapping range fails with.
 */
const KNOWN_KINDS: ReadonlySet<string> = new Set(['shardLease', 'shardCountConflict']);

/**
 * Brings any failure into the {@link ClientError} union: the framework's errors pass as they are
 * (a `ShardLeaseError` too), anything else (a transport's own error) is wrapped in a
 * {@link GatewayError} keeping it as `cause`.
 *
 * @param error - what was thrown or reported
 * @param shardId - the shard it concerns, if any
 */
export function toClientError(error: unknown, shardId?: number): ClientError {
  if (KNOWN.some((type) => error instanceof type)) return error as ClientError;
  if (isBotError(error) && KNOWN_KINDS.has(error.kind)) return error as ClientError;
  // An error of a worker thread whose class is not rebuilt here (an AuthenticationError): its kind
  // and plain fields are the original's, so `switch (error.kind)` in error() still finds it.
  if (error instanceof RemoteBotError) return error as unknown as ClientError;
  const message = messageOf(error);
  return new GatewayError(message, shardId, { cause: error });
}
