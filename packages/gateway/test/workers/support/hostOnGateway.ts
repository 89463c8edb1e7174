import { expect, vi } from 'vitest';
import type { FromWorker, ShardItem } from '../../../src/workers/messages.js';
import { ShardHost } from '../../../src/workers/ShardHost.js';
import type { FakeGateway } from '../../support/FakeGateway.js';

const WAIT = { timeout: 10_000, interval: 10 };

/** A shard host as these tests drive it, with every item it posted, in order. */
export interface HostRun {
  host: ShardHost;
  items: ShardItem[];
}

/**
 * A shard host for shard 0 of 1 whose calls to the main thread are answered at once (the token
 * as `token-1`), collecting the items it posts; not started.
 *
 * @param options - the handler module the thread runs (none by default); `ack` acknowledges each
 *   batch of items, which a host with a handler module waits for before handling more
 */
export function hostRun(options: { handler?: string; ack?: boolean } = {}): HostRun {
  const items: ShardItem[] = [];
  const post = (message: FromWorker): void => {
    if (message.type === 'call') {
      const value = message.method === 'token' ? 'token-1' : undefined;
      host.handle({ type: 'reply', call: message.call, ok: true, value });
      return;
    }
    if (message.type !== 'items') return;
    items.push(...(message.items as ShardItem[]));
    if (options.ack === true) host.handle({ type: 'ack', dispatches: message.dispatches, logs: 0 });
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
      ...(options.handler === undefined ? {} : { handler: { module: options.handler, data: null } }),
    },
    post,
  );
  return { host, items };
}

/**
 * Starts the host's shard on `gateway` and waits until it reports `ready`.
 *
 * @param run - the host, from {@link hostRun}
 * @param gateway - the gateway the shard connects to
 */
export async function startReady({ host, items }: HostRun, gateway: FakeGateway): Promise<void> {
  host.handle({ type: 'start', id: 0, total: 1, gatewayUrl: gateway.url, paused: false });
  await vi.waitFor(
    () => expect(items.some((item) => item[1] === 'state' && item[2] === 'ready')).toBe(true),
    WAIT,
  );
}

/**
 * Waits until the host reports its shard closed.
 *
 * @param run - the host, from {@link hostRun}
 */
export async function closed({ items }: HostRun): Promise<void> {
  await vi.waitFor(() => expect(items.some((item) => item[1] === 'closed')).toBe(true), WAIT);
}
