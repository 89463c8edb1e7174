/**
 * With a handler module on the thread, a close first lets the shard's handlings finish and only
 * then closes the shard. A `restart` arriving in that gap must still find the close under way:
 * the host refuses it as the shard would (reported as the shard's error), and the close ends the
 * session with 1000 instead of a restart reconnecting it (4000) behind the user's close.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGateway } from '../support/FakeGateway.js';
import { closed, hostRun, startReady } from './support/hostOnGateway.js';

const HANDLER = new URL('./fixtures/quietHandler.ts', import.meta.url).href;

describe('ShardHost with a handler module, a restart behind a close', () => {
  let gateway: FakeGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
  });

  it('reports the refused restart as the shard’s error; the close goes on with 1000', async () => {
    gateway = await FakeGateway.start();
    const run = hostRun({ handler: HANDLER, ack: true });
    const { host, items } = run;
    await startReady(run, gateway);
    const code = new Promise<number>((resolve) => gateway!.last.socket.once('close', resolve));

    host.handle({ type: 'close', id: 0, invalidateSession: true, graceMs: 1_000 });
    expect(() => host.handle({ type: 'restart', id: 0 })).not.toThrow();

    await closed(run);
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
