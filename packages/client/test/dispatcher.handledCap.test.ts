import { describe, expect, it } from 'vitest';
import { createLogger, type GatewayPayload } from '@bot/core';
import type { Context } from '@bot/client';
import { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';

// How far a shard's events count as handled, read straight from the dispatcher: the cap its
// session store and heartbeats go no further than.

/** A sequential dispatcher whose raw handler holds each event whose id is in `held` until released. */
function gatedDispatcher(): {
  dispatcher: Dispatcher;
  hold: (id: string) => void;
  release: (id: string) => void;
} {
  const gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  const dispatcher = new Dispatcher({
    handlers: [],
    rawHandlers: [{ raw: (_ctx: Context, payload: GatewayPayload) => gates.get(payload.id ?? '')?.promise }],
    policy: { mode: 'sequential' },
    binding: { api: {}, replies: new ReplySequencer() } as never,
    contextFor: () => ({}) as Context,
    log: createLogger('test', 7),
  });
  return {
    dispatcher,
    hold: (id) => {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gates.set(id, { promise, open });
    },
    release: (id) => gates.get(id)?.open(),
  };
}

const event = (s: unknown, id: string): GatewayPayload =>
  ({ op: 0, s, t: 'GROUP_AT_MESSAGE_CREATE', id, d: {} }) as GatewayPayload;
const ready = (s: number, sessionId: string): GatewayPayload =>
  ({ op: 0, s, t: 'READY', d: { session_id: sessionId } }) as GatewayPayload;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('Dispatcher.handledCap across a new session', () => {
  it('caps the new session at its start while the old one still has events in the lane, and never goes back', async () => {
    const { dispatcher, hold, release } = gatedDispatcher();
    hold('old-30');
    for (let seq = 30; seq <= 40; seq++) dispatcher.deliver(0, event(seq, `old-${seq}`));
    expect(dispatcher.handledCap(0, 'old')).toBe(29);
    void dispatcher.dispatch(0, ready(1, 'new'));
    hold('new-3');
    for (let seq = 2; seq <= 11; seq++) dispatcher.deliver(0, event(seq, `new-${seq}`));
    // Nothing of the new session is handled: its cap is below its first event, whatever the old ones say.
    expect(dispatcher.handledCap(0, 'new')).toBe(0);
    expect(dispatcher.handledCap(0)).toBe(0);
    // The old session is still answered for itself.
    expect(dispatcher.handledCap(0, 'old')).toBe(29);
    release('old-30');
    await settle();
    // The old events drained; the new session is handled up to its held event, and the cap rose.
    expect(dispatcher.handledCap(0, 'new')).toBe(2);
    expect(dispatcher.handledCap(0, 'old')).toBeUndefined();
    release('new-3');
    await settle();
    expect(dispatcher.handledCap(0, 'new')).toBeUndefined();
  });

  it('a READY behind nothing changes nothing', () => {
    const { dispatcher, hold } = gatedDispatcher();
    void dispatcher.dispatch(0, ready(1, 'first'));
    hold('e-2');
    for (let seq = 2; seq <= 5; seq++) dispatcher.deliver(0, event(seq, `e-${seq}`));
    expect(dispatcher.handledCap(0, 'first')).toBe(1);
  });
});

describe('Dispatcher.handledCap with an invalid seq at the head of the lane', () => {
  for (const bad of [undefined, null, '7', -5, 2.5, 1e400, Number.NaN]) {
    it(`seq ${String(bad)}: the last valid cap, never none, negative, fractional or infinite`, async () => {
      const { dispatcher, hold, release } = gatedDispatcher();
      hold('a');
      hold('x');
      dispatcher.deliver(0, event(10, 'a'));
      dispatcher.deliver(0, event(bad, 'x'));
      dispatcher.deliver(0, event(12, 'b'));
      expect(dispatcher.handledCap(0)).toBe(9);
      release('a');
      await settle();
      expect(dispatcher.handledCap(0)).toBe(9);
      release('x');
      await settle();
      expect(dispatcher.handledCap(0)).toBeUndefined();
    });

    it(`seq ${String(bad)} first of all: a cap of 0`, () => {
      const { dispatcher, hold } = gatedDispatcher();
      hold('x');
      dispatcher.deliver(0, event(bad, 'x'));
      dispatcher.deliver(0, event(12, 'b'));
      expect(dispatcher.handledCap(0)).toBe(0);
    });
  }
});

describe('Dispatcher.handledCap after a shutdown gave up on events', () => {
  it('holds at the abandon point until a failed shutdown lets the shards read again', async () => {
    const { dispatcher, hold } = gatedDispatcher();
    hold('e-5');
    for (let seq = 5; seq <= 8; seq++) dispatcher.deliver(0, event(seq, `e-${seq}`));
    expect(dispatcher.abandon(1_000)).toBeDefined();
    for (let seq = 9; seq <= 12; seq++) dispatcher.deliver(0, event(seq, `e-${seq}`));
    await settle();
    expect(dispatcher.handledCap(0)).toBe(4);
    dispatcher.readingAgain();
    expect(dispatcher.handledCap(0)).toBeUndefined();
  });
});
