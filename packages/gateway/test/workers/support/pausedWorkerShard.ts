import type { IdentifyPause, SessionStore, ShardStatus } from '@bot/gateway';
import type { ToWorker } from '../../../src/workers/messages.js';
import type { WorkerLink } from '../../../src/workers/WorkerLink.js';
import { WorkerShard } from '../../../src/workers/WorkerShard.js';

/** The wall-clock date the shard's thread reported its op 9 pause at. */
export const PAUSED_AT = 1_800_000_000_000;
/** How long that pause lasts. */
export const PAUSE_MS = 600_000;

/** A worker shard that reported an op 9 pause, with what it posted and reported since. */
export interface PausedWorkerShard {
  shard: WorkerShard;
  /** What the shard posted to its thread after the report. */
  posted: ToWorker[];
  /** Errors it emitted. */
  errors: Error[];
  /** The pause reported. */
  pause: IdentifyPause;
  /** Whether a thread runs: `post` answers `false` while it is `false` (one is being restarted). */
  link: { running: boolean };
}

/**
 * A started worker shard (of session S1, seq 41) whose thread reported an op 9 pause of
 * {@link PAUSE_MS} at {@link PAUSED_AT}, over a link standing for the thread. Run it under fake
 * timers set to {@link PAUSED_AT}.
 *
 * @param options - the session store the shard gets, its close grace, and when the pause ends
 *   (`PAUSED_AT + PAUSE_MS` by default)
 */
export function pausedWorkerShard(
  options: { store?: SessionStore; closeGraceMs?: number; until?: number } = {},
): PausedWorkerShard {
  const posted: ToWorker[] = [];
  const running = { running: true };
  const link: WorkerLink = {
    attach: () => undefined,
    post: (message: ToWorker) => {
      if (!running.running) return false;
      posted.push(message);
      return true;
    },
    nextCall: () => 0,
    detach: () => undefined,
    unresponsive: () => undefined,
  };
  const shard = new WorkerShard(
    0,
    1,
    'ws://127.0.0.1:9/never',
    link,
    options.closeGraceMs,
    undefined,
    undefined,
    undefined,
    options.store,
  );
  const errors: Error[] = [];
  shard.on('error', (error) => errors.push(error));
  void shard.start().catch(() => undefined);
  const pause: IdentifyPause = {
    reason: 'invalidatedSessions',
    sessions: 5,
    ms: PAUSE_MS,
    until: options.until ?? PAUSED_AT + PAUSE_MS,
  };
  const status: ShardStatus = {
    id: 0,
    total: 1,
    state: 'reconnecting',
    latency: undefined,
    seq: 41,
    sessionId: 'S1',
    reconnects: 5,
    attempt: 5,
    lastCloseCode: undefined,
    paused: false,
    identifyPause: pause,
  };
  shard.receive([0, 'state', 'reconnecting', 'ready', status]);
  posted.length = 0;
  return { shard, posted, errors, pause, link: running };
}

/** The types of the messages `posted`, in order. */
export const typesOf = (posted: readonly ToWorker[]): string[] => posted.map((message) => message.type);
