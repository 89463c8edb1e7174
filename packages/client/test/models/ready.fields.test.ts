import { describe, expect, it } from 'vitest';
import { ValidationError, type BotApi } from '@bot/http';
import { MalformedEventError, MODEL_BUILDERS, Ready, type BotError, type EventHandler } from '@bot/client';
import { ReplySequencer } from '../../src/models/ReplySequencer.js';
import { sequentialDispatcher } from '../support/sequentialDispatcher.js';

/*
 * What a READY must carry and what it may leave out. The platform documents READY by one example
 * and no field list (docs/protocol.md §3.4): the session id (what a resume names) and the bot's
 * user id (who the bot is) are what the model stands for, so a READY without them is refused; the
 * protocol version, the bot's name and its `bot` flag are checked when present and typed optional,
 * so that ready() runs for a READY without them instead of reading `undefined` behind a `string`.
 * One of them of another type is left off as absent and told as a process warning: ready(), where
 * bots set themselves up, still runs. The user's `status`, which the model does not hold, is
 * passed on unchecked.
 */

const wire = { version: 1, session_id: 's1', user: { id: 'b1', username: 'bot', bot: true }, shard: [0, 1] };
const binding = { api: {} as BotApi, replies: new ReplySequencer() };

/** Dispatches `d` as a READY and returns what reached ready() and error(). */
async function dispatchReady(d: unknown): Promise<{ readies: Ready[]; errors: BotError[] }> {
  const readies: Ready[] = [];
  const errors: BotError[] = [];
  const handler: EventHandler = {
    ready: (_ctx, ready) => void readies.push(ready),
    error: (error) => void errors.push(error),
  };
  await sequentialDispatcher(handler).dispatch(0, { op: 0, s: 1, id: 'r1', t: 'READY', d: d as never });
  return { readies, errors };
}

describe('a READY', () => {
  it.each([
    ['session_id', { ...wire, session_id: 7 }, 'd.session_id'],
    ['user', { ...wire, user: 'bot' }, 'd.user'],
    ['user.id', { ...wire, user: { ...wire.user, id: '' } }, 'd.user.id'],
  ])('with %s of another type is refused, naming it', async (_name, d, field) => {
    expect(() => MODEL_BUILDERS.READY(d as never, binding as never, 'e1')).toThrow(
      expect.objectContaining({ field }) as ValidationError,
    );
    const { readies, errors } = await dispatchReady(d);
    expect(readies).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MalformedEventError);
    expect(errors[0]).toMatchObject({ event: 'READY', field });
  });

  it.each([
    ['version', { ...wire, version: '1' }, 'd.version', 'a string of 1 character "1"'],
    ['user.username', { ...wire, user: { ...wire.user, username: 5 } }, 'd.user.username', '5'],
    ['user.bot', { ...wire, user: { ...wire.user, bot: 1 } }, 'd.user.bot', '1'],
  ])(
    'with %s of another type reaches ready() without it, told as a warning',
    async (_name, d, field, got) => {
      const warnings: Array<Error & { code?: string }> = [];
      const onWarning = (warning: Error): void => void warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const { readies, errors } = await dispatchReady(d);
        expect(errors).toEqual([]);
        expect(readies).toHaveLength(1);
        const ready = readies[0]!;
        expect(ready.sessionId).toBe('s1');
        expect(ready.user.id).toBe('b1');
        const read =
          field === 'd.version' ? ready.version : ready.user[field.slice('d.user.'.length) as 'bot'];
        expect(read).toBeUndefined();
        await expect.poll(() => warnings).toHaveLength(1);
        expect(warnings[0]!.code).toBe('BOT_EVENT_FIELD_LEFT_OFF');
        expect(warnings[0]!.message).toMatch(new RegExp(`^Ready \\(READY\\): ${field.replace('.', '\\.')} `));
        expect(warnings[0]!.message).toContain(`got ${got}`);
      } finally {
        process.off('warning', onWarning);
      }
    },
  );

  it.each([
    ['session_id', { ...wire, session_id: undefined }, 'd.session_id'],
    ['user', { ...wire, user: undefined }, 'd.user'],
    ['user.id', { ...wire, user: { username: 'bot', bot: true } }, 'd.user.id'],
  ])('without %s is refused, naming it', async (_name, d, field) => {
    const { readies, errors } = await dispatchReady(JSON.parse(JSON.stringify(d)));
    expect(readies).toEqual([]);
    expect(errors[0]).toMatchObject({ event: 'READY', field });
  });

  it('without the version, the bot’s name or its flag reaches ready(), holding them as absent', async () => {
    for (const d of [
      { session_id: 's1', user: { id: 'b1' } },
      { version: null, session_id: 's1', user: { id: 'b1', username: null, bot: null } },
    ]) {
      const { readies, errors } = await dispatchReady(d);
      expect(errors).toEqual([]);
      expect(readies).toHaveLength(1);
      const ready = readies[0]!;
      expect(ready.version).toBeUndefined();
      expect(ready.user).toEqual({ id: 'b1', username: undefined, bot: undefined });
      expect(ready.shard).toEqual([-1, 0]);
    }
  });

  it('with every field keeps them as received', () => {
    // `status`, which the model does not hold, passes whatever it is.
    const user = { ...wire.user, status: 'online' };
    const ready = new Ready({ ...wire, user, shard: [0, 1] });
    expect(ready.toJSON()).toEqual({
      version: 1,
      sessionId: 's1',
      user: { id: 'b1', username: 'bot', bot: true },
      shard: [0, 1],
    });
  });
});
