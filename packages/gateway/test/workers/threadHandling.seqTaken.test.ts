import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import type { ShardStatus } from '../../src/shard/ShardState.js';
import { HandledSeqCell } from '../../src/workers/HandledSeqCell.js';
import type { Outbox } from '../../src/workers/Outbox.js';
import { ThreadHandling } from '../../src/workers/ThreadHandling.js';

const READY: ShardStatus = {
  id: 0,
  total: 1,
  state: 'ready',
  latency: undefined,
  seq: 3,
  sessionId: 'S',
  reconnects: 0,
  attempt: 1,
  lastCloseCode: undefined,
  paused: false,
};

/** A handling of shard 0 at seq 3 of session S, its cell, and the `handled` reports it queued. */
function handlingAt3(dispatch: () => void | PromiseLike<unknown> = () => undefined) {
  const handled: number[] = [];
  const errors: unknown[] = [];
  const outbox = {
    handled: (_id: number, seq: number) => handled.push(seq),
    flushHandled: () => undefined,
    push: (item: unknown) => errors.push(item),
  } as unknown as Outbox;
  const handling = new ThreadHandling(
    { dispatch },
    outbox,
    { maxRuns: 100, timeoutMs: 60_000 },
    () => undefined,
  );
  const cell = new HandledSeqCell();
  handling.started(0, cell);
  handling.statusOf(0, READY);
  return { handling, cell, handled, errors };
}

const event = (s: unknown): DispatchPayload =>
  ({ op: 0, s, t: 'AT_MESSAGE_CREATE', d: {} }) as DispatchPayload;

let rejections: unknown[] = [];
const onRejection = (reason: unknown): void => void rejections.push(reason);
afterEach(() => {
  process.off('unhandledRejection', onRejection);
  rejections = [];
});

describe('ThreadHandling: only a seq the shard took moves how far a session is handled', () => {
  it('a dispatch the shard delivered without taking its seq (far ahead) is handled but moves nothing', () => {
    const { handling, cell, handled } = handlingAt3();
    handling.dispatch(0, 1, event(4), true);
    handling.dispatch(0, 1, event(Number.MAX_SAFE_INTEGER), false);
    handling.dispatch(0, 1, event(5), true);
    expect(handled).toEqual([4, 5]);
    expect(cell.read()).toEqual({ sessionId: 'S', seq: 5 });
    expect(handling.handledSeq(0, 'S')).toBe(5);
  });

  it('an async handler of a dispatch the shard did not take moves nothing either, once it settles', async () => {
    const { handling, cell, handled } = handlingAt3(() => Promise.resolve());
    handling.dispatch(0, 1, event(4), true);
    handling.dispatch(0, 1, event(Number.MAX_SAFE_INTEGER), false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(handled).toEqual([4]);
    expect(cell.read()).toEqual({ sessionId: 'S', seq: 4 });
    expect(handling.handledSeq(0, 'S')).toBe(4);
  });

  it.each([1.5, null, -1, 2 ** 60, '7'])(
    'a dispatch with seq %s is handled without a throw, moving nothing',
    (s) => {
      const { handling, cell, handled } = handlingAt3();
      expect(() => handling.dispatch(0, 1, event(s), true)).not.toThrow();
      expect(handled).toEqual([]);
      expect(cell.read()).toEqual({ sessionId: 'S', seq: 3 });
    },
  );

  it('an async handling of a dispatch with a seq that is not one settles without an unhandled rejection', async () => {
    process.on('unhandledRejection', onRejection);
    const { handling, cell, handled } = handlingAt3(() => Promise.resolve());
    handling.dispatch(0, 1, event(1.5), true);
    handling.dispatch(0, 1, event(4), true);
    await vi.waitFor(() => expect(handled).toEqual([4]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rejections).toEqual([]);
    expect(cell.read()).toEqual({ sessionId: 'S', seq: 4 });
  });
});
