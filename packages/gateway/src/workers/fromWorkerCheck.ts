import { quotedValue } from '@bot/core';
import { MAX_SESSION_ID_LENGTH, sessionInfoProblem } from '../session/sessionInfoProblem.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { SessionEnding } from '../shard/recovery.js';
import type { IdentifyPause } from '../shard/ShardState.js';
import type { RemoteMethod } from './messages.js';
import { wireErrorProblem } from './wireError.js';

/**
 * Checks of what a worker thread posts, before the main thread acts on it: shapes, types and
 * ranges of every field read here. A thread runs the bot's code too (its handler module), which
 * may post anything on the port, so what crosses is input like any other: a failed check is
 * reported (a `ThreadMessageError`) and the thread stopped, then restarted like one that exited.
 */

/** Longest name a thread's logger may have (one logger is kept per name, see {@link MAX_LOG_NAMES}). */
const MAX_LOG_NAME = 128;
const METHODS: ReadonlySet<RemoteMethod> = new Set([
  'identify',
  'sessionGet',
  'sessionSet',
  'sessionDelete',
  'token',
]);
const STATES: ReadonlySet<string> = new Set([
  'idle',
  'connecting',
  'identifying',
  'resuming',
  'ready',
  'reconnecting',
  'closed',
  'fatal',
]);

const CLOSE_NEXT: ReadonlySet<string> = new Set(['resume', 'identify', 'fatal', 'closed']);
/** Every {@link SessionEnding}: the compiler checks the list against the type both ways. */
const SESSION_ENDINGS: ReadonlySet<SessionEnding> = new Set(
  Object.keys({
    closed: true,
    tokenRefused: true,
    invalidSession: true,
    invalidSessionSoon: true,
    refreshedResumeInvalidated: true,
    resumeUnanswered: true,
    resumeFailed: true,
    oversizedFrame: true,
    other: true,
  } satisfies Record<SessionEnding, true>) as SessionEnding[],
);
const PAUSE_REASONS: ReadonlySet<IdentifyPause['reason']> = new Set(['invalidatedSessions']);
/** Latest time a `Date` holds, in milliseconds since the epoch. */
const MAX_EPOCH_MS = 8.64e15;
/** Longest message type quoted when a message is refused. */
const MAX_QUOTED_TYPE = 40;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown, max = Number.MAX_SAFE_INTEGER): value is string =>
  typeof value === 'string' && value.length <= max;

/** Whether `value` is a session as a shard reports it: an id, a sequence number, a shard count. */
export function isSessionInfo(value: unknown): value is SessionInfo {
  // Types first: the problem text quotes what it finds, which an object of the thread's could
  // break (a `toString` that is not a function makes `String()` throw).
  if (!isRecord(value)) return false;
  const { sessionId, seq, shardCount } = value;
  if (typeof sessionId !== 'string' || typeof seq !== 'number' || typeof shardCount !== 'number')
    return false;
  return sessionInfoProblem(value) === undefined;
}

const isWireError = (value: unknown): boolean => wireErrorProblem(value) === undefined;

/** What is wrong with the error `what` carries, or `undefined`. */
function errorViolation(what: string, value: unknown): string | undefined {
  const problem = wireErrorProblem(value);
  return problem === undefined ? undefined : `${what} is not an error (${problem})`;
}
const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isCloseCode = (value: unknown): boolean =>
  value === undefined ||
  (Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 65_535);

/** What keeps `value` from being the status of shard `id`, or `undefined`. */
function statusProblem(value: unknown, id: number): string | undefined {
  if (!isRecord(value)) return 'a state report carries no status object';
  const { total, latency, seq, sessionId, reconnects, attempt, lastCloseCode, paused } = value;
  if (value['id'] !== id) return 'a state report carries the status of another shard';
  if (!STATES.has(value['state'] as string)) return 'a state report has a status in an unknown state';
  if (!Number.isSafeInteger(total) || (total as number) < 1 || id >= (total as number))
    return 'a state report has a shard count that does not fit its shard';
  if (latency !== undefined && !isDuration(latency))
    return 'a state report has a latency that is not a duration';
  if (seq !== null && !isCount(seq)) return 'a state report has a seq that is neither null nor a count';
  if (sessionId !== undefined && !(isText(sessionId, MAX_SESSION_ID_LENGTH) && sessionId !== ''))
    return `a state report has a session id that is not a text of 1 to ${MAX_SESSION_ID_LENGTH} characters`;
  if (!isCount(reconnects) || !isCount(attempt)) return 'a state report miscounts reconnects or attempts';
  if (!isCloseCode(lastCloseCode)) return 'a state report has a last close code that is not a close code';
  if (typeof paused !== 'boolean') return 'a state report says neither paused nor not';
  return value['identifyPause'] === undefined ? undefined : identifyPauseProblem(value['identifyPause']);
}

/** What keeps `value` from being a status's `identifyPause`, or `undefined`. */
function identifyPauseProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a state report has an identify pause that is not an object';
  const { reason, sessions, ms, until } = value;
  if (!PAUSE_REASONS.has(reason as IdentifyPause['reason']))
    return 'a state report has an identify pause whose reason is not a known one';
  if (!isCount(sessions) || sessions < 1)
    return 'a state report has an identify pause whose sessions are not a count of 1 or more';
  if (!isDuration(ms)) return 'a state report has an identify pause whose length is not a duration';
  return isDuration(until) && until <= MAX_EPOCH_MS
    ? undefined
    : 'a state report has an identify pause whose until is not a time in milliseconds since the epoch';
}

/**
 * What keeps `value` from being a dispatch as a shard emits it, or `undefined`. A shard passes on
 * every frame of the dispatch opcode whose `t` is text (an odd `s` it reports and keeps out of the
 * resume point; `id` it never reads), so all of those are taken here too: refusing one would stop
 * the thread, whose shards would resume before that frame, get it again and stop the next thread.
 */
function dispatchProblem(value: unknown): string | undefined {
  if (!isRecord(value) || value['op'] !== 0) return 'a dispatch is not a payload of op 0';
  return typeof value['t'] === 'string' ? undefined : 'a dispatch names no event';
}

/** What keeps `value` from being a close event as a shard emits it, or `undefined`. */
function closeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a close event is not an object';
  if (!isCloseCode(value['code'])) return 'a close event has a code that is not a close code';
  if (!isText(value['reason'])) return 'a close event gives no reason';
  if (!CLOSE_NEXT.has(value['next'] as string)) return 'a close event says no known next step';
  if (!isDuration(value['delayMs'])) return 'a close event has a delay that is not a duration';
  if (value['connectError'] !== undefined && !isText(value['connectError']))
    return 'a close event has a connect error that is not text';
  if (value['ending'] !== undefined && !SESSION_ENDINGS.has(value['ending'] as SessionEnding))
    return 'a close event says its session ended in an unknown way';
  return value['session'] === undefined ? undefined : closedSessionProblem(value['session']);
}

/**
 * What keeps `value` from being the session a close event names, or `undefined`: the client
 * quotes its id and seq in a `SessionReplacedError`, so they must be what a shard holds.
 */
function closedSessionProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a close event names a session that is not an object';
  const { sessionId, seq } = value;
  if (!(isText(sessionId, MAX_SESSION_ID_LENGTH) && sessionId !== ''))
    return `a close event names a session whose id is not a text of 1 to ${MAX_SESSION_ID_LENGTH} characters`;
  return seq === null || isCount(seq)
    ? undefined
    : 'a close event names a seq that is neither null nor a count';
}

/** The `type` of a message a thread posted, as a refusal quotes it. */
export function messageTypeOf(message: unknown): string {
  const type = isRecord(message) ? message['type'] : undefined;
  if (typeof type !== 'string') return `(type ${typeof type})`;
  return type.length > MAX_QUOTED_TYPE ? `${type.slice(0, MAX_QUOTED_TYPE)}…` : type;
}

/** What the main thread knows of a thread, to check its messages against. */
export interface ThreadFacts {
  /** Whether the thread runs shard `id`. */
  ownsShard(id: number): boolean;
  /** Most items in one message. */
  maxBatch: number;
  /** Whether the thread has a handler module (only then may it report handled events or a failed setup). */
  handlerModule: boolean;
}

/** What is wrong with one item, or `undefined`. */
function itemViolation(item: unknown, { ownsShard, handlerModule }: ThreadFacts): string | undefined {
  if (!Array.isArray(item) || item.length < 2) return 'an item is not a [shard, kind, …] array';
  const [id, kind, first, second, third] = item as unknown[];
  if (!isCount(id) || !ownsShard(id))
    return `an item names shard ${quotedValue(id)}, which this thread does not run`;
  switch (kind) {
    case 'dispatch':
      return second === undefined || second === false
        ? dispatchProblem(first)
        : 'a dispatch says whether its seq was taken with something other than false';
    case 'handled':
      if (!handlerModule) return 'a thread without a handler module reported handled events';
      return isCount(first) ? undefined : 'a handled seq is not a count';
    case 'state':
      return STATES.has(first as string) && STATES.has(second as string)
        ? statusProblem(third, id)
        : 'a state change names an unknown state';
    case 'heartbeat':
      return isDuration(first) ? undefined : 'a heartbeat latency is not a duration';
    case 'close':
      return closeProblem(first);
    case 'debug':
      return isText(first) ? undefined : 'a debug line is not text';
    case 'error':
      return errorViolation('an error', first);
    case 'invalidated':
      return isCount(first) ? undefined : 'a count of invalidated sessions is not a count';
    case 'closed':
      return first === undefined || isSessionInfo(first)
        ? undefined
        : 'a closed shard left a malformed session';
    case 'sent':
      return isCount(first) && (second === undefined || isWireError(second))
        ? undefined
        : 'a send result is malformed';
    default:
      return `an item has the unknown kind ${quotedValue(kind)}`;
  }
}

/**
 * What is wrong with a message of a worker thread, or `undefined` when it is well-formed.
 *
 * @param message - what the thread posted
 * @param facts - what the main thread knows of the thread
 */
export function violationOf(message: unknown, facts: ThreadFacts): string | undefined {
  const { ownsShard, maxBatch } = facts;
  if (!isRecord(message)) return 'a message is not an object';
  switch (message['type']) {
    case 'items': {
      const { items, dispatches } = message;
      if (!Array.isArray(items) || items.length > maxBatch)
        return 'items is not an array of at most maxBatch';
      let held = 0;
      for (const item of items) {
        const violation = itemViolation(item, facts);
        if (violation !== undefined) return violation;
        if ((item as unknown[])[1] === 'dispatch') held += 1;
      }
      // What the main thread acknowledges back: the thread's bound on dispatches in flight.
      return dispatches === held
        ? undefined
        : 'the dispatch count does not match the dispatches the batch holds';
    }
    case 'call': {
      const { call, method, shardId, args } = message;
      if (!isCount(call) || !METHODS.has(method as RemoteMethod) || !Array.isArray(args))
        return 'a call is malformed';
      if (method === 'token' ? shardId !== -1 : !isCount(shardId) || !ownsShard(shardId)) {
        return `a call names shard ${quotedValue(shardId)}, which this thread does not run`;
      }
      return method === 'sessionSet' && !isSessionInfo(args[0])
        ? 'a session to store is malformed'
        : undefined;
    }
    case 'cancel':
      return isCount(message['call']) ? undefined : 'a cancel names no call';
    case 'invalidateToken':
      return isText(message['token']) ? undefined : 'a token to invalidate is not text';
    case 'handlerFailed':
      if (!facts.handlerModule) return 'a thread without a handler module reported a failed setup';
      return errorViolation('a handler failure', message['error']);
    case 'clientError': {
      if (!facts.handlerModule) return 'a thread without a handler module reported a client failure';
      const { shardId } = message;
      if (shardId !== undefined && !(isCount(shardId) && ownsShard(shardId)))
        return `a client failure names shard ${quotedValue(shardId)}, which this thread does not run`;
      return errorViolation('a client failure', message['error']);
    }
    case 'stopped':
      return message['droppedLogs'] === undefined || isCount(message['droppedLogs'])
        ? undefined
        : 'a stopped thread miscounts its dropped log lines';
    case 'pong':
      return undefined;
    case 'identifySent':
      return isCount(message['shardId']) && ownsShard(message['shardId'])
        ? undefined
        : 'identifySent names no shard of this thread';
    case 'log':
      return Number.isSafeInteger(message['level']) &&
        isText(message['levelName'], MAX_LOG_NAME) &&
        isText(message['name'], MAX_LOG_NAME) &&
        Array.isArray(message['args']) &&
        (message['dropped'] === undefined || isCount(message['dropped']))
        ? undefined
        : 'a log line is malformed';
    default:
      return `a message has the unknown type ${quotedValue(message['type'])}`;
  }
}

/** The types of the gateway's worker protocol: what a shard thread posts. */
const MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'items',
  'call',
  'cancel',
  'invalidateToken',
  'handlerFailed',
  'clientError',
  'stopped',
  'pong',
  'identifySent',
  'log',
]);

/** What a refused message was about, as {@link refusalContext} tells it. */
export interface RefusalContext {
  /** The shard it named, when the thread runs it: the first item refused, or a call's shard. */
  shardId: number | undefined;
  /** Whether its type is one of the protocol (only its fields were wrong). */
  knownType: boolean;
}

/**
 * What a message {@link violationOf} refused was about: the shard it named, if the thread runs
 * it, and whether its type is one of the protocol, so the error can say where to look.
 *
 * @param message - what the thread posted
 * @param facts - what the main thread knows of the thread
 */
export function refusalContext(message: unknown, facts: ThreadFacts): RefusalContext {
  if (!isRecord(message)) return { shardId: undefined, knownType: false };
  const knownType = typeof message['type'] === 'string' && MESSAGE_TYPES.has(message['type']);
  const owned = (id: unknown): number | undefined => (isCount(id) && facts.ownsShard(id) ? id : undefined);
  if (message['type'] === 'items' && Array.isArray(message['items'])) {
    const refused = (message['items'] as unknown[]).find((item) => itemViolation(item, facts) !== undefined);
    return { shardId: Array.isArray(refused) ? owned(refused[0]) : undefined, knownType };
  }
  return { shardId: owned(message['shardId']), knownType };
}

/** Loggers kept per thread, one per name: past this, lines go to the thread's own logger. */
export const MAX_LOG_NAMES = 64;
