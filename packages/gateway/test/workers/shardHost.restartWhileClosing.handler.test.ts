/**
 * With a handler module on the thread, a close first lets the shard's handlings finish and only
 * then closes the shard. A `restart` arriving in that gap must still find the close under way:
 * the host refuses it as the shard would (reported as the shard's error), and the close ends the
 * session with 1000 instead of a restart reconnecting it (4000) behind the user's close.
 */
import { describe, expect, it } from 'vitest';
import { restartBehindClose } from './support/restartBehindClose.js';

const HANDLER = new URL('./fixtures/quietHandler.ts', import.meta.url).href;

describe('ShardHost with a handler module, a restart behind a close', () => {
  it('reports the refused restart as the shard’s error; the close goes on with 1000', async () => {
    const run = await restartBehindClose({ handler: HANDLER, ack: true });
    expect(run.threw).toBeUndefined();
    expect(run.closeCode).toBe(1000);
    expect(run.errors).toEqual([expect.stringMatching(/shard 0: is closing: restart\(\) has no effect/)]);
    expect(run.connections).toBe(1);
    const states = run.items.filter((item) => item[1] === 'state').map((item) => item[2]);
    expect(states).not.toContain('reconnecting');
  });
});
