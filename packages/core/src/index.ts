export {
  BotError,
  isBotError,
  type AnyBotError,
  type BotErrorKind,
  type BotErrorKinds,
} from './errors/BotError.js';
export { ValidationError } from './errors/ValidationError.js';
export { messageOf } from './errors/messageOf.js';
export { ACCESS_TOKEN_PREFIX, authorization } from './auth/authorization.js';
export { Intents, IntentFlags, type IntentName } from './intents/Intents.js';
export { createLogger, childLogger, SECRET_KEYS, type BotLogger } from './logging/logger.js';
export { typedEventEmitter, type TypedEmitter, type EventMap } from './events/typedEventEmitter.js';
export {
  DISPATCH_EVENTS,
  UNTYPED_EVENT_INTENTS,
  type DispatchEventDeclaration,
  type DispatchEventIntent,
  type DispatchEventMethod,
  type DispatchEvents,
} from './events/dispatchEvents.js';
export {
  eventsOfIntent,
  intentOfEvent,
  intentsForEvents,
  isDispatchEventName,
} from './events/eventIntents.js';
export { payload, type PayloadOf, type PayloadType } from './events/payloadType.js';
export { Deferred } from './async/Deferred.js';
export { isThenable } from './async/isThenable.js';
export {
  MAX_TIMER_DELAY,
  firstAborted,
  onFirstAbort,
  raceAbort,
  type OptionalSignal,
  type WaitLimit,
} from './time/abort.js';
export { AbortFanout, type FanoutWait } from './time/AbortFanout.js';
export { sleep, sleepUnlessAborted, waitAtMost, type SleepOptions } from './time/sleep.js';
export { DeadlineExceededError, type CancelableRequest } from './time/deadline.js';
export { msUntil, steadyNow } from './time/steadyClock.js';
export { backoffDelay, type BackoffOptions } from './time/backoff.js';
export * from './validate/checks.js';
export { quotedValue } from './validate/quotedValue.js';
export { PLATFORM_TEXT_LIMIT, platformText, quotedText } from './text/platformText.js';
export { describeWireValue, wireName } from './text/wireText.js';
export * from './wire/index.js';
