/**
 * A shard refuses a `restart()` while its `close()` is under way (the close wins), by throwing.
 * On a worker thread the restart arrives as a message right behind the close: the host reports
 * the refusal as the shard's error instead of letting the throw escape its message handler.
 */
import { describe, expect, it } from 'vitest';
import { restartBehindClose } from './support/restartBehindClose.js';

describe('ShardHost, a restart behind a close', () => {
  it('reports the refused restart as the shard’s error; the close goes on with 1000', async () => {
    const run = await restartBehindClose();
    expect(run.threw).toBeUndefined();
    expect(run.closeCode).toBe(1000);
    expect(run.errors).toEqual([expect.stringMatching(/is closing: restart\(\) has no effect/)]);
    expect(run.connections).toBe(1);
  });
});
