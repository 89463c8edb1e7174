/**
 * A shard refuses a `restart()` while its `close()` is under way (the close wins), by throwing.
 * On a worker thread the restart arrives as a message right behind the close: the host reports
 * the refusal as the shard's error instead of letting the throw escape its message handler.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGateway } from '../support/FakeGateway.js';
import { closed, hostRun, startReady } from './support/hostOnGateway.js';

describe('ShardHost, a restart behind a close', () => {
  let gateway: FakeGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
  });

  it('reports the refused restart as the shard’s error; the close goes on with 1000', async () => {
    gateway = await FakeGateway.start();
    const run = hostRun();
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
    expect(errors).toEqual([expect.stringMatching(/is closing: restart\(\) has no effect/)]);
    expect(gateway.connections).toHaveLength(1);
  });
});
