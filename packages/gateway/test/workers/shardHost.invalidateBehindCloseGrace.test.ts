/**
 * With a handler module, a close waits for the shard's handlings before the shard's own close
 * starts. An `invalidate` that arrives meanwhile makes that close invalidate the session, and, as
 * an upgraded close of a `Shard` does, keep to the later of the two closes' deadlines.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShardCloseOptions } from '@bot/gateway';
import { Shard } from '../../src/shard/Shard.js';
import { FakeGateway } from '../support/FakeGateway.js';
import { closed, hostRun, startReady } from './support/hostOnGateway.js';

const HANDLER = new URL('./fixtures/quietHandler.ts', import.meta.url).href;

describe('ShardHost with a handler module, an invalidate while the close waits for the handlings', () => {
  let gateway: FakeGateway;
  beforeEach(async () => {
    gateway = await FakeGateway.start();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await gateway.close();
  });

  /** The options of each close the host's shard got, once it is reported closed. */
  async function closesAfter(first: number, upgrade: number): Promise<ShardCloseOptions[]> {
    const run = hostRun({ handler: HANDLER, ack: true });
    await startReady(run, gateway);
    const close = vi.spyOn(Shard.prototype, 'close');
    run.host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: first });
    run.host.handle({ type: 'invalidate', id: 0, graceMs: upgrade });
    await closed(run);
    return close.mock.calls.map(([options]) => options ?? {});
  }

  it('closes the shard within the upgrade’s longer grace', async () => {
    const [options, ...others] = await closesAfter(1_000, 30_000);
    expect(others).toEqual([]);
    expect(options?.invalidateSession).toBe(true);
    // Before the fix the shard got what was left of the first close's 1 s.
    expect(options?.graceMs).toBeGreaterThan(29_000);
    expect(options?.graceMs).toBeLessThanOrEqual(30_000);
  });

  it('keeps the first close’s grace when it is the longer one', async () => {
    const [options] = await closesAfter(30_000, 1_000);
    expect(options?.invalidateSession).toBe(true);
    expect(options?.graceMs).toBeGreaterThan(29_000);
  });
});
