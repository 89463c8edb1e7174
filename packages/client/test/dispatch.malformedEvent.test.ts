import { afterEach, describe, expect, it } from 'vitest';
import { SEED } from '@bot/testing';
import {
  MalformedEventError,
  ValidationError,
  toClientError,
  type BotError,
  type ClientError,
  type EventHandler,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/*
 * A payload its model refuses is the platform's defect, not a bug of the bot: error() receives it
 * as its own kind, naming the event, its id and the field, and no handler sees the event.
 */
describe('a payload the model refuses', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('reaches error() as a MalformedEventError naming d.author and the event id', async () => {
    const errors: BotError[] = [];
    const seen: string[] = [];
    harness = await startHarness([
      {
        groupMessageCreate: (_ctx, message) => void seen.push(message.cleanContent),
        error: (error) => void errors.push(error),
      },
    ]);
    const malformed = harness.emulator.simulate.dispatch('GROUP_AT_MESSAGE_CREATE', {
      id: 'msg-without-author',
      content: 'who am I',
      group_openid: SEED.groups.bookClub,
    });
    harness.emulator.simulate.groupAtMessage({ content: 'next one' });
    await expect.poll(() => seen).toEqual(['next one']);
    await harness.client.idle();

    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error).toBeInstanceOf(MalformedEventError);
    expect(error).toMatchObject({
      kind: 'malformedEvent',
      event: 'GROUP_AT_MESSAGE_CREATE',
      shardId: 0,
      eventId: malformed.id,
      field: 'd.author',
      abandoned: false,
    });
    expect(error.cause).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(malformed.id);
    expect(error.message).toMatch(/d\.author must be an object/);
    expect(error.message).toMatch(/skipped/);
  });

  it('a guild message without an id is skipped: no reply goes out as a proactive message', async () => {
    const errors: BotError[] = [];
    const handled: string[] = [];
    const bot: EventHandler = {
      async messageCreate(_ctx, message) {
        handled.push(message.content);
        await message.reply('pong');
      },
      error: (error) => void errors.push(error),
    };
    harness = await startHarness([bot]);
    harness.emulator.simulate.dispatch('AT_MESSAGE_CREATE', {
      channel_id: SEED.channels.hallGeneral,
      guild_id: SEED.guilds[0],
      content: 'ping',
      author: { id: SEED.users.alice, username: 'alice' },
    });
    await expect.poll(() => errors.length).toBe(1);
    await harness.client.idle();

    expect(handled).toEqual([]);
    expect(errors[0]).toBeInstanceOf(MalformedEventError);
    expect(errors[0]).toMatchObject({ event: 'AT_MESSAGE_CREATE', field: 'd.id' });
    const sends = harness.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'POST /channels/{channel_id}/messages',
    );
    expect(sends).toEqual([]);
  });

  it('is one of the ClientError kinds toClientError passes through as it is', () => {
    const error: ClientError = new MalformedEventError(
      'C2C_MESSAGE_CREATE',
      undefined,
      'e-1',
      new ValidationError('d.id', 'must be a non-empty string'),
    );
    expect(toClientError(error)).toBe(error);
    expect(error.field).toBe('d.id');
    expect(error.message).not.toMatch(/shard/);
  });
});
