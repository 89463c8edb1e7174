import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import type { ShardStatus } from '../../src/shard/ShardState.js';
import type { FromWorker } from '../../src/workers/messages.js';
import { Outbox } from '../../src/workers/Outbox.js';
import { ThreadHandling } from '../../src/workers/ThreadHandling.js';

/** A dispatch with sequence number `s`. */
const event = (s: number): DispatchPayload => ({ op: 0, t: 'AT_MESSAGE_CREATE', s, id: `event-${s}`, d: {} });

/** Shard 0's status in session `s`, read up to `seq`. */
const status = (seq: number): ShardStatus => ({
  id: 0,
  total: 1,
  state: 'ready',
  latency: undefined,
  seq,
  sessionId: 's',
  reconnects: 0,
  attempt: 0,
  lastCloseCode: undefined,
  paused: false,
});

/**
 * A thread's handling of shard 0 whose handler takes `handlerMs` (a timer) per event, with the
 * seq the main thread holds as its resume point: the session's first, then each `handled` posted.
 */
function handlingOf(handlerMs: number) {
  const start = 1;
  let crossed = start;
  const outbox = new Outbox(
    (message: FromWorker) => {
      if (message.type !== 'items') return;
      for (const item of message.items) if (item[1] === 'handled') crossed = item[2];
    },
    16,
    64,
    () => undefined,
  );
  const handler = {
    dispatch: () => new Promise<void>((resolve) => setTimeout(resolve, handlerMs)),
  };
  const handling = new ThreadHandling(handler, outbox, { maxRuns: 8, timeoutMs: 60_000 }, () => undefined);
  handling.statusOf(0, status(start));
  return { handling, crossed: () => crossed };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ThreadHandling: what heartbeats may acknowledge, against what the main thread holds', () => {
  it('handledSeq never exceeds the last handled seq posted to the main thread', async () => {
    vi.useFakeTimers();
    const { handling, crossed } = handlingOf(500);
    handling.dispatch(0, 1, event(2));
    // A heartbeat due in the same timers phase as the handling's end: it runs before the Outbox's
    // setImmediate, where the `handled` item would otherwise cross.
    const heartbeats: Array<{ acknowledged: number | undefined; held: number }> = [];
    setTimeout(() => {
      const acknowledged = handling.handledSeq(0, 's');
      heartbeats.push({ acknowledged, held: crossed() });
    }, 500);
    await vi.advanceTimersByTimeAsync(500);
    expect(heartbeats).toHaveLength(1);
    const [beat] = heartbeats;
    expect(beat?.acknowledged).toBeDefined();
    expect(beat?.acknowledged).toBeLessThanOrEqual(beat?.held ?? -1);
    handling.stop();
  });

  it('a heartbeat after the handling acknowledges it, and the main thread holds it', async () => {
    vi.useFakeTimers();
    const { handling, crossed } = handlingOf(100);
    handling.dispatch(0, 1, event(2));
    handling.dispatch(0, 1, event(3));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(handling.handledSeq(0, 's')).toBe(3);
    expect(crossed()).toBe(3);
    handling.stop();
  });
});
