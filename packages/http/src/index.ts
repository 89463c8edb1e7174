export * from './errors/index.js';
export * from './rest/RequestOptions.js';
export * from './rest/PendingAudit.js';
export { RestClient } from './rest/RestClient.js';
export { attachCallSite, callSiteOf, requestsFrom, type CallSite } from './rest/callSite.js';
export { wasNeverSent } from './rest/retryRules.js';
export type { RestClientOptions, RestEvents, RateLimitedEvent } from './rest/RestClientOptions.js';
export type { RestAttemptEvent, RestAttemptFailure } from './rest/RestAttemptEvent.js';
export type { RateLimitOptions, RouteWindow } from './rest/ratelimit/RateLimitOptions.js';
export { Token } from './auth/Token.js';
export { AccessTokenProvider, type AccessTokenProviderOptions } from './auth/AccessTokenProvider.js';
export { ACCESS_TOKEN_PREFIX, authorization } from './auth/authorization.js';
export { PRODUCTION_API_URL, SANDBOX_API_URL, ACCESS_TOKEN_URL } from './environments.js';
export * from './messages/index.js';
export * from './keyboard/index.js';
export * from './api/index.js';
export * from './media/index.js';
// What this package has always offered of the foundations, which now live in `@bot/core`: the
// logger, back-off and URL check its options use, the typed emitter, the wait `joinClosing()`
// gives, and every wire type.
export {
  backoffDelay,
  childLogger,
  createLogger,
  requireHttpUrl,
  SECRET_KEYS,
  typedEventEmitter,
  type BackoffOptions,
  type BotLogger,
  type EventMap,
  type FanoutWait,
  type TypedEmitter,
} from '@bot/core';
export * from '@bot/core/wire';
