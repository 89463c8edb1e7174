import type { ShardItem } from '../../../src/workers/messages.js';
import { FakeGateway } from '../../support/FakeGateway.js';
import { closed, hostRun, startReady } from './hostOnGateway.js';

/** What a host did with a `restart` that came right behind a `close` of its shard. */
export interface RestartBehindClose {
  /** What `handle` threw for the restart (`undefined` when nothing): the host should report, not throw. */
  threw: unknown;
  /** The code the gateway saw the shard's socket close with. */
  closeCode: number;
  /** The messages of the errors the host reported for the shard, in order. */
  errors: string[];
  /** Every item the host posted, in order. */
  items: ShardItem[];
  /** Connections the gateway accepted in all. */
  connections: number;
}

/**
 * Starts shard 0 of 1 on a host against a gateway of its own, waits until it is ready, sends
 * `close` (invalidating the session) and a `restart` right behind it, and waits until the host
 * reports the shard closed; the gateway is closed before it returns.
 *
 * @param options - the host's handler module and acknowledgements, as {@link hostRun} takes them
 */
export async function restartBehindClose(
  options: Parameters<typeof hostRun>[0] = {},
): Promise<RestartBehindClose> {
  const gateway = await FakeGateway.start();
  try {
    const run = hostRun(options);
    await startReady(run, gateway);
    const closeCode = new Promise<number>((resolve) => gateway.last.socket.once('close', resolve));
    run.host.handle({ type: 'close', id: 0, invalidateSession: true, graceMs: 1_000 });
    let threw: unknown;
    try {
      run.host.handle({ type: 'restart', id: 0 });
    } catch (error) {
      threw = error;
    }
    await closed(run);
    const errors = run.items
      .filter((item) => item[1] === 'error')
      .map((item) => String((item[2] as { message: unknown }).message));
    return {
      threw,
      closeCode: await closeCode,
      errors,
      items: run.items,
      connections: gateway.connections.length,
    };
  } finally {
    await gateway.close();
  }
}
