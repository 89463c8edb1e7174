/**
 * A worker thread's host tells the main thread, with each dispatch, whether the shard took its
 * seq. It learnt that from `shard.status()`, a ten-field snapshot built on every dispatch; it now
 * reads `shard.seq`. The flags must stay as they were: a seq in order is taken, one far ahead of
 * the last (see `SequenceCheck`) or none at all is not.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Shard } from '../../src/shard/Shard.js';
import { SEQ_STEP_LIMIT } from '../../src/shard/SequenceCheck.js';
import type { ShardItem } from '../../src/workers/messages.js';
import { FakeGateway } from '../support/FakeGateway.js';
import { closed, hostRun, startReady } from './support/hostOnGateway.js';

const WAIT = { timeout: 10_000, interval: 10 };

describe('ShardHost without a handler module, per dispatch', () => {
  let gateway: FakeGateway | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await gateway?.close();
  });

  it('flags each dispatch by whether its seq was taken, without a status snapshot each', async () => {
    gateway = await FakeGateway.start();
    const run = hostRun();
    const { host, items } = run;
    const status = vi.spyOn(Shard.prototype, 'status');
    await startReady(run, gateway);

    const connection = gateway.last;
    const first = connection.dispatch('AT_MESSAGE_CREATE');
    connection.send({ op: 0, s: first + SEQ_STEP_LIMIT + 10, t: 'AT_MESSAGE_CREATE', id: 'far', d: {} });
    connection.send({ op: 0, t: 'AT_MESSAGE_CREATE', id: 'none', d: {} });
    const second = connection.dispatch('AT_MESSAGE_CREATE');
    type DispatchItem = Extract<ShardItem, { 1: 'dispatch' }>;
    const dispatches = (): DispatchItem[] =>
      items.filter((item): item is DispatchItem => item[1] === 'dispatch');
    await vi.waitFor(() => expect(dispatches()).toHaveLength(5), WAIT);

    const flags = dispatches().map((item) => [item[2].t, item[2].s, item[3] ?? 'taken']);
    expect(flags).toEqual([
      ['READY', first - 1, 'taken'],
      ['AT_MESSAGE_CREATE', first, 'taken'],
      ['AT_MESSAGE_CREATE', first + SEQ_STEP_LIMIT + 10, false],
      ['AT_MESSAGE_CREATE', undefined, false],
      ['AT_MESSAGE_CREATE', second, 'taken'],
    ]);
    // One snapshot per state report, none per dispatch.
    expect(status).toHaveBeenCalledTimes(items.filter((item) => item[1] === 'state').length);

    host.handle({ type: 'close', id: 0, invalidateSession: true, graceMs: 100 });
    await closed(run);
  });
});
