import { type BotLogger } from '@bot/core';
import { Logger, type ILogObj } from 'tslog';
import type { IdentifyQueue } from '../identify/IdentifyQueue.js';
import type { SessionInfo, SessionStore } from '../session/SessionStore.js';
import type { TokenSource } from '../shard/TokenSource.js';
import type { FromWorker } from './messages.js';
import type { RemoteCalls } from './RemoteCalls.js';

/** The manager's identify queue, asked over the message port: one pacing authority for every thread. */
export function remoteIdentifyQueue(calls: RemoteCalls): IdentifyQueue {
  return { wait: (shardId, signal) => calls.call<void>('identify', shardId, [], signal) };
}

/** The manager's session store, read and written over the message port. */
export function remoteSessionStore(calls: RemoteCalls): SessionStore {
  return {
    get: (shardId) => calls.call<SessionInfo | undefined>('sessionGet', shardId, []),
    set: (shardId, session) => calls.call<void>('sessionSet', shardId, [session]),
    delete: (shardId) => calls.call<void>('sessionDelete', shardId, []),
  };
}

/** The manager's access tokens, asked over the message port. */
export function remoteTokens(calls: RemoteCalls, post: (message: FromWorker) => void): TokenSource {
  return {
    get: (options = {}) => calls.call<string>('token', -1, [], options.signal),
    invalidate: (token) => post({ type: 'invalidateToken', token }),
  };
}

/** A value a structured clone carries: kept as is when it can be cloned, its text otherwise. */
function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

/**
 * A logger that prints nothing here and hands each line at or above `minLevel` to the main
 * thread, which logs it under the manager's logger (and masks secrets there, as everywhere).
 */
export function forwardingLogger(post: (message: FromWorker) => void, minLevel: number): BotLogger {
  const logger = new Logger<ILogObj>({
    type: 'hidden',
    minLevel,
    overwrite: { toLogObj: (args, logObj) => ({ ...logObj, args }) },
  });
  logger.attachTransport((logObj) => {
    const meta = (logObj as { _meta?: { logLevelId?: number; logLevelName?: string; name?: string } })._meta;
    const args = (logObj as { args?: unknown[] }).args ?? [];
    post({
      type: 'log',
      level: meta?.logLevelId ?? 3,
      levelName: meta?.logLevelName ?? 'INFO',
      name: meta?.name ?? 'worker',
      args: args.map(cloneable),
    });
  });
  return logger;
}
