/**
 * A `close({ invalidateSession: true })` on the main thread behind a `close()` without it reaches
 * the thread as `invalidate` right behind `close`. The host upgrades the shard's close (or, with a
 * handler module, the close still waiting for the handlings invalidates when it starts): the socket
 * closes with 1000, the shard is reported closed once, leaving no session. An `invalidate` for a
 * shard not closing is ignored: the main thread forgets what that close left.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGateway } from '../support/FakeGateway.js';
import { closed, hostRun, startReady } from './support/hostOnGateway.js';

const HANDLER = new URL('./fixtures/quietHandler.ts', import.meta.url).href;

describe('ShardHost, an invalidate behind a close', () => {
  let gateway: FakeGateway;
  beforeEach(async () => {
    gateway = await FakeGateway.start();
  });
  afterEach(async () => {
    await gateway.close();
  });

  it.each([
    ['without a handler module', {}],
    ['with a handler module', { handler: HANDLER, ack: true }],
  ])('%s: closes with 1000 and reports the shard closed once, leaving no session', async (_, options) => {
    const run = hostRun(options);
    await startReady(run, gateway);
    const code = new Promise<number>((resolve) => gateway.last.socket.once('close', resolve));
    run.host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    run.host.handle({ type: 'invalidate', id: 0, graceMs: 1_000 });
    await closed(run);
    // Before the fix the thread did not know the message: 4000, and the session left resumable.
    expect(await code).toBe(1000);
    const reports = run.items.filter((item) => item[1] === 'closed');
    expect(reports).toEqual([[0, 'closed', undefined]]);
  });

  it('ignores one for a shard whose close has ended', async () => {
    const run = hostRun();
    await startReady(run, gateway);
    run.host.handle({ type: 'close', id: 0, invalidateSession: false, graceMs: 1_000 });
    await closed(run);
    run.host.handle({ type: 'invalidate', id: 0, graceMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reports = run.items.filter((item) => item[1] === 'closed');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.[2]).toMatchObject({ sessionId: expect.any(String) });
  });
});
