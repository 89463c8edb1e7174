import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { HandlerRuns } from '../../src/workers/HandlerRuns.js';

// A full collection on demand, so that what the runs still hold shows.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Lets every settled promise's reactions run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Handles `count` dispatches whose handlings return promises, all settled; returns refs to their payloads. */
async function handleSettled(timeoutMs: number, count: number): Promise<Array<WeakRef<DispatchPayload>>> {
  const runs = new HandlerRuns(10_000, timeoutMs, {
    onHold: () => undefined,
    onProgress: () => undefined,
    onTimeout: () => undefined,
  });
  const refs: Array<WeakRef<DispatchPayload>> = [];
  for (let s = 1; s <= count; s += 1) {
    const payload: DispatchPayload = {
      op: 0,
      t: 'AT_MESSAGE_CREATE',
      s,
      id: `event-${s}`,
      d: { content: 'x' },
    };
    refs.push(new WeakRef(payload));
    runs.track(0, payload, Promise.resolve(), payload.s);
  }
  await settle();
  runs.stop();
  // The runs object lives on (a thread's handling does, for the thread's life): only what it keeps matters.
  retained.push(runs);
  return refs;
}

const retained: HandlerRuns[] = [];

describe('HandlerRuns keeps nothing of a handling once it settled', () => {
  it.each([
    ['without a deadline (handlerTimeoutMs Infinity)', Number.POSITIVE_INFINITY],
    ['with a deadline', 60_000],
  ])('%s: the events of settled handlings can be collected', async (_, timeoutMs) => {
    const refs = await handleSettled(timeoutMs, 200);
    await settle();
    collectGarbage();
    await settle();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});
