import { sessionInfoProblem } from '../session/sessionInfoProblem.js';
import type { SessionInfo } from '../session/SessionStore.js';
import type { RemoteMethod } from './messages.js';

/**
 * Checks of what a worker thread posts, before the main thread acts on it. The thread runs this
 * package's own code, so a failed check means a bug or a thread in a bad state: the caller logs
 * it and stops the thread, which is then restarted like one that exited.
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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown, max = Number.MAX_SAFE_INTEGER): value is string =>
  typeof value === 'string' && value.length <= max;

/** Whether `value` is a session as a shard reports it: an id, a sequence number, a shard count. */
export function isSessionInfo(value: unknown): value is SessionInfo {
  return sessionInfoProblem(value) === undefined;
}

const isWireError = (value: unknown): boolean =>
  isRecord(value) && isText(value['name']) && isText(value['message']);

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
    return `an item names shard ${String(id)}, which this thread does not run`;
  switch (kind) {
    case 'dispatch':
      return isRecord(first) && typeof first['op'] === 'number' ? undefined : 'a dispatch is not a payload';
    case 'handled':
      if (!handlerModule) return 'a thread without a handler module reported handled events';
      return isCount(first) ? undefined : 'a handled seq is not a count';
    case 'state':
      return STATES.has(first as string) && STATES.has(second as string) && isRecord(third)
        ? undefined
        : 'a state change names an unknown state';
    case 'heartbeat':
      return typeof first === 'number' && Number.isFinite(first)
        ? undefined
        : 'a heartbeat latency is not a number';
    case 'close':
      if (!isRecord(first)) return 'a close event is not an object';
      return first['connectError'] === undefined || isText(first['connectError'])
        ? undefined
        : 'a close event has a connect error that is not text';
    case 'debug':
      return isText(first) ? undefined : 'a debug line is not text';
    case 'error':
      return isWireError(first) ? undefined : 'an error is not an error';
    case 'closed':
      return first === undefined || isSessionInfo(first)
        ? undefined
        : 'a closed shard left a malformed session';
    case 'sent':
      return isCount(first) && (second === undefined || isWireError(second))
        ? undefined
        : 'a send result is malformed';
    default:
      return `an item has the unknown kind ${String(kind)}`;
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
      if (!isCount(dispatches) || dispatches > items.length) return 'the dispatch count is wrong';
      for (const item of items) {
        const violation = itemViolation(item, facts);
        if (violation !== undefined) return violation;
      }
      return undefined;
    }
    case 'call': {
      const { call, method, shardId, args } = message;
      if (!isCount(call) || !METHODS.has(method as RemoteMethod) || !Array.isArray(args))
        return 'a call is malformed';
      if (method === 'token' ? shardId !== -1 : !isCount(shardId) || !ownsShard(shardId)) {
        return `a call names shard ${String(shardId)}, which this thread does not run`;
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
      return isWireError(message['error']) ? undefined : 'a handler failure is not an error';
    case 'clientError': {
      if (!facts.handlerModule) return 'a thread without a handler module reported a client failure';
      const { shardId } = message;
      if (shardId !== undefined && !(isCount(shardId) && ownsShard(shardId)))
        return `a client failure names shard ${String(shardId)}, which this thread does not run`;
      return isWireError(message['error']) ? undefined : 'a client failure is not an error';
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
      return `a message has the unknown type ${String(message['type'])}`;
  }
}

/** Loggers kept per thread, one per name: past this, lines go to the thread's own logger. */
export const MAX_LOG_NAMES = 64;
