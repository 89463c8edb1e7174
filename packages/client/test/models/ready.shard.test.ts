import { describe, expect, it } from 'vitest';
import { Ready, type BotError, type EventHandler } from '@bot/client';
import { sequentialDispatcher } from '../support/sequentialDispatcher.js';

/*
 * The gateway passes on a READY that names no shard (`shard` left out: docs/protocol.md §3.4 leaves
 * what READY's shard holds unverified, and its own example is of no use), so its model must not
 * fail in the `ready()` handler that reads `shardId`: it names no shard as `ctx.shard` does for a
 * webhook, `[-1, 0]`. A `shard` that is there but is no pair of integers is read the same way
 * and told as a process warning naming `d.shard`: ready(), where bots set themselves up, still runs.
 */

const wire = { version: 1, session_id: 's1', user: { id: 'b1', username: 'bot', bot: true } };

describe('a READY and its shard', () => {
  it('without one: ready() reads shardId and shardCount without failing, as no shard: [-1, 0]', async () => {
    const seen: Array<[number, number]> = [];
    const errors: BotError[] = [];
    const handler: EventHandler = {
      ready: (_ctx, ready) => void seen.push([ready.shardId, ready.shardCount]),
      error: (error) => void errors.push(error),
    };
    const dispatcher = sequentialDispatcher(handler);
    await dispatcher.dispatch(0, { op: 0, s: 1, t: 'READY', d: wire });

    expect(errors).toEqual([]);
    expect(seen).toEqual([[-1, 0]]);
  });

  it('one the platform sends, [0, 0] as in its example included, is kept as it is', () => {
    expect(new Ready({ ...wire, shard: [2, 4] }).shard).toEqual([2, 4]);
    expect(new Ready({ ...wire, shard: [0, 0] } as never).shardCount).toBe(0);
  });

  it('one that is no pair of integers reaches ready() as no shard, told once as a warning', async () => {
    const warnings: Array<Error & { code?: string }> = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      for (const shard of [[0], [0, 1, 2], '0,1', {}, ['0', '1'], [0.5, 1], [0, null]]) {
        expect(new Ready({ ...wire, shard } as never).shard).toEqual([-1, 0]);
        const seen: Array<[number, number]> = [];
        const errors: BotError[] = [];
        const dispatcher = sequentialDispatcher({
          ready: (_ctx, ready) => void seen.push([ready.shardId, ready.shardCount]),
          error: (error) => void errors.push(error),
        });
        await dispatcher.dispatch(0, { op: 0, s: 1, id: 'r1', t: 'READY', d: { ...wire, shard } as never });
        expect(errors, JSON.stringify(shard)).toEqual([]);
        expect(seen).toEqual([[-1, 0]]);
      }
      // Once per model and field for the process's life, as the same defect recurs in each READY.
      await expect.poll(() => warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ code: 'BOT_EVENT_FIELD_LEFT_OFF' });
      expect(warnings[0]!.message).toMatch(/^Ready \(READY\): d\.shard left off/);
      expect(warnings[0]!.message).toContain('got an array of 1 item');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
