import { describe, expect, it } from 'vitest';
import { ValidationError, type BotApi } from '@bot/http';
import { MalformedEventError, MODEL_BUILDERS, Ready, type BotError, type EventHandler } from '@bot/client';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { sequentialDispatcher } from '../support/sequentialDispatcher.js';

/*
 * The gateway passes on a READY that names no shard (`shard` left out: docs/protocol.md §3.4 leaves
 * what READY's shard holds unverified, and its own example is of no use), so its model must not
 * fail in the `ready()` handler that reads `shardId`: it names no shard as `ctx.shard` does for a
 * webhook, `[-1, 0]`. A `shard` that is there but is no pair of integers is the payload's defect,
 * refused when the model is built, naming `d.shard`.
 */

const wire = { version: 1, session_id: 's1', user: { id: 'b1', username: 'bot', bot: true } };
const binding = { api: {} as BotApi, replies: new ReplySequencer() };

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

  it.each([[[0]], [[0, 1, 2]], ['0,1'], [{}], [['0', '1']], [[0.5, 1]], [[0, null]]])(
    'shard %j is refused when built, naming d.shard',
    async (shard) => {
      expect(() => MODEL_BUILDERS.READY({ ...wire, shard } as never, binding as never, 'e1')).toThrow(
        expect.objectContaining({ field: 'd.shard' }) as ValidationError,
      );
      const errors: BotError[] = [];
      const dispatcher = sequentialDispatcher({
        ready: () => undefined,
        error: (error) => void errors.push(error),
      });
      await dispatcher.dispatch(0, { op: 0, s: 1, id: 'r1', t: 'READY', d: { ...wire, shard } });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(MalformedEventError);
      expect(errors[0]).toMatchObject({ field: 'd.shard' });
    },
  );
});
