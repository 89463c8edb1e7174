/**
 * A shard refuses a `restart()` while its `close()` is under way (the close wins), by throwing.
 * On a worker thread the restart arrives as a message right behind the close: the host reports
 * the refusal as the shard's error instead of letting the throw escape its message handler.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker, ShardItem } from '../../src/workers/messages.js';
import { ShardHost } from '../../src/workers/ShardHost.js';
import { FakeGateway } from '../support/FakeGateway.js';

const WAIT = { timeout: 10_000, interval: 10 };

describe('ShardHost, a restart behind a close', () => {
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
      if (message.type === 'items') items.push(...(message.items as ShardItem[]));
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
    expect(errors).toEqual([expect.stringMatching(/is closing: restart\(\) has no effect/)]);
    expect(gateway.connections).toHaveLength(1);
  });
});
