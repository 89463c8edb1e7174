import { describe, expect, it } from 'vitest';
import { createLogger } from '@bot/core';
import type { Context } from '@bot/client';
import { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { DedupeWindow } from '../src/dispatch/DedupeWindow.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';
import { memberAdd } from './support/sequentialDispatcher.js';

/** A dispatcher whose raw handler records each event id and waits at `held` (but for id `quick`). */
function holding(calls: string[], held: Promise<void>): Dispatcher {
  return new Dispatcher({
    handlers: [],
    rawHandlers: [
      {
        async raw(_ctx, payload) {
          calls.push(String(payload.id));
          if (payload.id !== 'quick') await held;
        },
      },
    ],
    policy: { mode: 'concurrent', limit: 8 },
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: () => ({}) as Context,
    log: createLogger('test', 7),
  });
}

describe('abandon() and the duplicate filter', () => {
  it('handles again an event a shutdown gave up on, as its sender was told to deliver it again', async () => {
    const calls: string[] = [];
    const dispatcher = holding(calls, new Promise(() => {}));
    const first = dispatcher.dispatch(undefined, memberAdd('E1'));
    await expect.poll(() => calls).toEqual(['E1']);
    expect(dispatcher.abandon(100)).toBeDefined();
    await expect(first).rejects.toThrow(/not fully handled/);
    dispatcher.readingAgain(); // the shutdown failed: this client goes on
    void dispatcher.dispatch(undefined, memberAdd('E1'));
    await expect.poll(() => calls).toEqual(['E1', 'E1']);
    expect(dispatcher.duplicatesDropped).toBe(0);
  });

  it('still drops a repeat of an event handled before the shutdown gave up on others', async () => {
    const calls: string[] = [];
    const dispatcher = holding(calls, new Promise(() => {}));
    await dispatcher.dispatch(undefined, memberAdd('quick'));
    dispatcher.dispatch(undefined, memberAdd('cut')).catch(() => {});
    await expect.poll(() => calls).toEqual(['quick', 'cut']);
    expect(dispatcher.abandon(100)?.events.map((event) => event.id)).toEqual(['cut']);
    await dispatcher.dispatch(undefined, memberAdd('quick'));
    expect(calls).toEqual(['quick', 'cut']);
    expect(dispatcher.duplicatesDropped).toBe(1);
  });
});

describe('DedupeWindow.forget', () => {
  it('forgets one id in either generation, keeping the others', () => {
    const window = new DedupeWindow(4);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) expect(window.check(id)).toBe(false);
    // 'a'–'d' are the older generation now, 'e' and 'f' the newer.
    window.forget('b');
    window.forget('f');
    window.forget('never seen');
    expect(window.check('b')).toBe(false);
    expect(window.check('f')).toBe(false);
    for (const id of ['a', 'c', 'd', 'e']) expect(window.check(id)).toBe(true);
  });

  it('forgets ids that share a probe chain without losing their neighbours', () => {
    const window = new DedupeWindow(1000);
    const ids = Array.from({ length: 1000 }, (_, index) => `id-${index}`);
    for (const id of ids) window.check(id);
    for (const id of ids.filter((_, index) => index % 3 === 0)) window.forget(id);
    for (const [index, id] of ids.entries()) expect(window.check(id)).toBe(index % 3 !== 0);
  });
});

describe('dispatch() of a copy of an event still being handled', () => {
  it('settles as the original does, and is handled anew once the original is given up', async () => {
    const calls: string[] = [];
    const dispatcher = holding(calls, new Promise(() => {}));
    const first = dispatcher.dispatch(undefined, memberAdd('E1'));
    const copy = dispatcher.dispatch(undefined, memberAdd('E1'));
    expect(copy).toBe(first);
    dispatcher.abandon(100);
    await expect(copy).rejects.toThrow(/not fully handled/);
    // Right after abandon(), before any rejection was seen: a new delivery.
    const again = dispatcher.dispatch(undefined, memberAdd('E1'));
    expect(again).not.toBe(first);
    await expect.poll(() => calls).toEqual(['E1', 'E1']);
  });
});
