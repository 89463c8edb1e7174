import { describe, expect, it } from 'vitest';
import { violationOf } from '../../src/workers/fromWorkerCheck.js';
import type { FromWorker, ShardItem } from '../../src/workers/messages.js';
import { Outbox } from '../../src/workers/Outbox.js';

const SHARDS = [0, 1, 2, 3];
const MAX_BATCH = 4;
const MAX_UNACKED = 8;

function dispatch(id: number, seq: number): ShardItem {
  return [id, 'dispatch', { op: 0, s: seq, t: 'AT_MESSAGE_CREATE', d: {} }];
}

/**
 * Several shards on one thread: holding pauses each of them, and each pause reports itself as an
 * item ('reading paused'), pushed while the dispatch that reached the bound is being pushed.
 */
function threadOfFourShards(): { outbox: Outbox; sent: FromWorker[]; holds: boolean[] } {
  const sent: FromWorker[] = [];
  const holds: boolean[] = [];
  const outbox: Outbox = new Outbox(
    (message) => sent.push(message),
    MAX_BATCH,
    MAX_UNACKED,
    (held) => {
      holds.push(held);
      for (const id of SHARDS) outbox.push([id, 'debug', held ? 'reading paused' : 'reading resumed']);
    },
  );
  return { outbox, sent, holds };
}

describe('Outbox', () => {
  it('sends at most maxBatch items per message when the dispatch that fills a batch also starts the hold', () => {
    const { outbox, sent, holds } = threadOfFourShards();
    const pushed: ShardItem[] = [];
    for (let seq = 1; seq <= MAX_UNACKED; seq += 1) {
      const item = dispatch(SHARDS[seq % SHARDS.length] ?? 0, seq);
      pushed.push(item);
      outbox.push(item);
    }
    outbox.flush();

    expect(holds).toEqual([true]);
    // The main thread stops a thread whose message breaks its checks: every one must pass.
    for (const message of sent)
      expect(
        violationOf(message, { ownsShard: () => true, maxBatch: MAX_BATCH, handlerModule: false }),
      ).toBeUndefined();
    const received = sent.flatMap((message) => (message.type === 'items' ? message.items : []));
    const pauses = SHARDS.map((id): ShardItem => [id, 'debug', 'reading paused']);
    expect(received).toEqual([...pushed, ...pauses]);
    const dispatches = sent.reduce(
      (sum, message) => sum + (message.type === 'items' ? message.dispatches : 0),
      0,
    );
    expect(dispatches).toBe(MAX_UNACKED);
  });

  it('keeps every message within maxBatch over many hold and resume cycles', () => {
    const { outbox, sent, holds } = threadOfFourShards();
    let seq = 0;
    for (let cycle = 0; cycle < 50; cycle += 1) {
      while (!outbox.held) {
        seq += 1;
        outbox.push(dispatch(SHARDS[seq % SHARDS.length] ?? 0, seq));
      }
      outbox.flush();
      outbox.acknowledged(MAX_UNACKED);
    }
    outbox.flush();

    expect(holds.filter((held) => held)).toHaveLength(50);
    expect(holds.filter((held) => !held)).toHaveLength(50);
    for (const message of sent)
      expect(
        violationOf(message, { ownsShard: () => true, maxBatch: MAX_BATCH, handlerModule: false }),
      ).toBeUndefined();
    const seqs = sent.flatMap((message) =>
      message.type === 'items'
        ? message.items.flatMap((item) => (item[1] === 'dispatch' ? [item[2].s] : []))
        : [],
    );
    expect(seqs).toEqual(Array.from({ length: seq }, (_, index) => index + 1));
  });
});
