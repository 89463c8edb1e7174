/**
 * `restart()` called from a `close` listener (the in-process way to skip an op 9 pause) runs
 * while the thread's batch is being read: the close item comes first, the `reconnecting` report
 * carrying the pause after it. That report set the pause again after the restart had ended it,
 * and with reading paused the thread reports nothing more, so `status()` showed a pause the
 * thread no longer waited out for its whole length. A pause that began before the last restart
 * is now ignored; one that begins after it is shown.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IdentifyPause, ShardStatus } from '@bot/gateway';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { WorkerShard } from '../../src/workers/WorkerShard.js';

const PAUSE_MS = 600_000;

const REPORTED: ShardStatus = {
  id: 0,
  total: 1,
  state: 'reconnecting',
  latency: undefined,
  seq: 41,
  sessionId: undefined,
  reconnects: 5,
  attempt: 5,
  lastCloseCode: undefined,
  paused: true,
};

/** A worker shard with reading paused, on a link collecting what it posts. */
function pausedShard(posted: ToWorker[]): WorkerShard {
  const link: WorkerLink = {
    attach: () => undefined,
    post: (message: ToWorker) => {
      posted.push(message);
      return true;
    },
    nextCall: () => 0,
    detach: () => undefined,
    unresponsive: () => undefined,
  };
  const shard = new WorkerShard(0, 1, 'ws://127.0.0.1:9/never', link);
  shard.on('error', () => undefined);
  void shard.start().catch(() => undefined);
  shard.pause('user');
  return shard;
}

/** A pause of {@link PAUSE_MS} beginning now. */
const pauseNow = (): IdentifyPause => ({
  reason: 'invalidatedSessions',
  sessions: 5,
  ms: PAUSE_MS,
  until: Date.now() + PAUSE_MS,
});

/** One batch from the thread: the op 9 close, then the report of the pause it started. */
function closeWithPause(shard: WorkerShard, pause: IdentifyPause): void {
  shard.receive([
    0,
    'close',
    { code: undefined, reason: 'op 9', next: 'identify', delayMs: PAUSE_MS, ending: 'invalidSessionSoon' },
  ]);
  shard.receive([0, 'state', 'reconnecting', 'ready', { ...REPORTED, identifyPause: pause }]);
}

describe('a worker shard restarted from its close listener', () => {
  afterEach(() => vi.useRealTimers());

  it('shows no pause reported in the same batch after the restart', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const posted: ToWorker[] = [];
    const shard = pausedShard(posted);
    shard.once('close', () => shard.restart());
    closeWithPause(shard, pauseNow());
    expect(posted.map((message) => message.type)).toContain('restart');
    expect(shard.status().identifyPause).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(shard.status().identifyPause).toBeUndefined();
    void shard.close();
  });

  it('shows a pause that began after the restart', async () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const shard = pausedShard([]);
    shard.restart();
    await vi.advanceTimersByTimeAsync(5_000);
    const pause = pauseNow();
    closeWithPause(shard, pause);
    expect(shard.status().identifyPause).toEqual(pause);
    void shard.close();
  });
});
