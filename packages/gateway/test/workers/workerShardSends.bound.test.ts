/**
 * Sends of a shard on a worker thread are bounded on the main thread as an in-process shard's are:
 * a busy thread must not let frames (each a structured clone and a pending promise) pile up.
 */
import { describe, expect, it } from 'vitest';
import { SendQueueFullError } from '@bot/gateway';
import type { ToWorker } from '../../src/workers/messages.js';
import type { WorkerLink } from '../../src/workers/WorkerLink.js';
import { WorkerShardSends } from '../../src/workers/WorkerShardSends.js';

/** A thread that takes every message and never answers. */
function silentLink(): WorkerLink & { posted: ToWorker[] } {
  let call = 0;
  const posted: ToWorker[] = [];
  return {
    posted,
    post: (message) => posted.push(message) > 0,
    nextCall: () => ++call,
    attach: () => undefined,
    detach: () => undefined,
    unresponsive: () => undefined,
  };
}

const frame = { op: 0, d: {} };

describe('WorkerShardSends', () => {
  it('refuses the send past maxQueued at once with a SendQueueFullError, posting nothing more', async () => {
    const link = silentLink();
    const sends = new WorkerShardSends(2, link, 3);
    const waiting = [sends.send(frame), sends.send(frame), sends.send(frame)];
    await expect(sends.send(frame)).rejects.toBeInstanceOf(SendQueueFullError);
    await expect(sends.send(frame)).rejects.toMatchObject({ maxQueued: 3, shardId: 2 });
    expect(link.posted).toHaveLength(3);
    expect(waiting).toHaveLength(3);
  });

  it('takes sends again once the thread answered earlier ones', async () => {
    const link = silentLink();
    const sends = new WorkerShardSends(0, link, 1);
    const first = sends.send(frame);
    await expect(sends.send(frame)).rejects.toBeInstanceOf(SendQueueFullError);
    const [posted] = link.posted;
    if (posted?.type !== 'send') throw new Error('expected a send message');
    sends.settled(posted.call, undefined);
    await first;
    const second = sends.send(frame);
    expect(link.posted).toHaveLength(2);
    sends.threadLost();
    await expect(second).rejects.toThrow(/exited before the frame was sent/);
  });
});
