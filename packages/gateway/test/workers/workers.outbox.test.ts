import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker, ShardItem } from '../../src/workers/messages.js';
import { Outbox } from '../../src/workers/Outbox.js';
import { RemoteCalls } from '../../src/workers/RemoteCalls.js';

afterEach(() => {
  vi.useRealTimers();
});

const dispatch = (id: number, s: number): ShardItem => [
  id,
  'dispatch',
  { op: 0, s, t: 'AT_MESSAGE_CREATE', d: {} },
];

describe('Outbox (worker thread → main thread)', () => {
  it('sends items in order, one message per turn of the event loop or per full batch', () => {
    vi.useFakeTimers();
    const sent: FromWorker[] = [];
    const outbox = new Outbox(
      (message) => sent.push(message),
      3,
      100,
      () => undefined,
    );
    outbox.push(dispatch(0, 1));
    outbox.push([0, 'heartbeat', 12]);
    expect(sent).toEqual([]);
    vi.runAllTimers();
    expect(sent).toEqual([{ type: 'items', items: [dispatch(0, 1), [0, 'heartbeat', 12]], dispatches: 1 }]);
    for (let s = 2; s <= 5; s++) outbox.push(dispatch(1, s));
    expect(sent).toHaveLength(2); // a full batch leaves at once
    vi.runAllTimers();
    expect(sent.flatMap((message) => (message.type === 'items' ? message.items : []))).toEqual([
      dispatch(0, 1),
      [0, 'heartbeat', 12],
      ...[2, 3, 4, 5].map((s) => dispatch(1, s)),
    ]);
  });

  it('never has more than maxUnacked dispatches unacknowledged without holding reading, and releases at half', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.array(fc.oneof(fc.constant<'push'>('push'), fc.integer({ min: 1, max: 20 })), { maxLength: 300 }),
        (maxUnacked, steps) => {
          const holds: boolean[] = [];
          const outbox = new Outbox(
            () => undefined,
            1,
            maxUnacked,
            (held) => holds.push(held),
          );
          let unacked = 0;
          for (const step of steps) {
            if (step === 'push') {
              outbox.push(dispatch(0, 1));
              unacked += 1;
            } else {
              const acked = Math.min(step, unacked);
              outbox.acknowledged(acked);
              unacked -= acked;
            }
            // Held exactly from reaching the bound until back at half of it.
            if (unacked >= maxUnacked) expect(outbox.held).toBe(true);
            if (unacked <= maxUnacked / 2) expect(outbox.held).toBe(false);
          }
          // Holds and releases alternate, starting with a hold.
          holds.forEach((held, index) => expect(held).toBe(index % 2 === 0));
        },
      ),
    );
  });
});

describe('RemoteCalls (worker thread → main thread)', () => {
  it('settles each call with its own answer, and withdraws an aborted one at once', async () => {
    const posted: FromWorker[] = [];
    const calls = new RemoteCalls((message) => posted.push(message));
    const session = calls.call<unknown>('sessionGet', 3, []);
    const controller = new AbortController();
    const turn = calls.call<void>('identify', 3, [], controller.signal);
    expect(posted).toEqual([
      { type: 'call', call: 1, method: 'sessionGet', shardId: 3, args: [] },
      { type: 'call', call: 2, method: 'identify', shardId: 3, args: [] },
    ]);
    controller.abort(new Error('shard closing'));
    await expect(turn).rejects.toThrow('shard closing');
    expect(posted.at(-1)).toEqual({ type: 'cancel', call: 2 });
    calls.settle({ type: 'reply', call: 2, ok: true, value: undefined }); // too late: dropped
    calls.settle({
      type: 'reply',
      call: 1,
      ok: false,
      error: { name: 'RedisOperationError', message: 'down', stack: undefined },
    });
    // The error as the main thread's service threw it: name and message kept.
    await expect(session).rejects.toMatchObject({ name: 'RedisOperationError', message: 'down' });
  });
});
