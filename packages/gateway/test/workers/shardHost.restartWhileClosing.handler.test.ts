/**
 * With a handler module on the thread, a close first lets the shard's handlings finish and only
 * then closes the shard. A `restart` arriving in that gap must still find the close under way:
 * the host refuses it as the shard would (reported as the shard's error), and the close ends the
 * session with 1000 instead of a restart reconnecting it (4000) behind the user's close.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker, ShardItem } from '../../src/workers/messages.js';
import { ShardHost } from '../../src/workers/ShardHost.js';
import { FakeGateway } from '../support/FakeGateway.js';

const WAIT = { timeout: 10_000, interval: 10 };
const HANDLER = new URL('./fixtures/quietHandler.ts', import.meta.url).href;

describe('ShardHost with a handler module, a restart behind a close', () => {
  let gateway: FakeGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
  });

  it('reports the refused restart as the shard’s error; the close goes on with 1000', async () => {
    gateway = await FakeGateway.start();
    const items: ShardItem[] = [];
    const post = (message: FromWorker): void => {
      if (message.type === 'call') {
        const value = message.method === 'token' ? 'token-1' : undefined;
        host.handle({ type: 'reply', call: message.call, ok: true, value });
        return;
      }
      if (message.type === 'items') {
        items.push(...(message.items as ShardItem[]));
        host.handle({ type: 'ack', dispatches: message.dispatches, logs: 0 });
      }
    };
    const host = new ShardHost(
      {
        behaviour: {},
        intents: 1 << 30,
        logLevel: 7,
        maxBatch: 1,
        maxUnacked: 1_000,
        durableSeq: false,
        storeCallMs: 1_000,
        handlerTimeoutMs: 120_000,
        thread: 0,
        handler: { module: HANDLER, data: null },
      },
      post,
    );
    host.handle({ type: 'start', id: 0, total: 1, gatewayUrl: gateway.url, paused: false });
    await vi.waitFor(
      () => expect(items.some((item) => item[1] === 'state' && item[2] === 'ready')).toBe(true),
      WAIT,
    );
    const code = new Promise<number>((resolve) => gateway!.last.socket.once('close', resolve));

    host.handle({ type: 'close', id: 0, invalidateSession: true, graceMs: 1_000 });
    expect(() => host.handle({ type: 'restart', id: 0 })).not.toThrow();

    await vi.waitFor(() => expect(items.some((item) => item[1] === 'closed')).toBe(true), WAIT);
    expect(await code).toBe(1000);
    const errors = items
      .filter((item) => item[1] === 'error')
      .map((item) => String((item[2] as { message: unknown }).message));
    expect(errors).toEqual([expect.stringMatching(/shard 0: is closing: restart\(\) has no effect/)]);
    expect(gateway.connections).toHaveLength(1);
    const states = items.filter((item) => item[1] === 'state').map((item) => item[2]);
    expect(states).not.toContain('reconnecting');
  });
});
