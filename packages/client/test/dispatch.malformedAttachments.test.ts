import { afterEach, describe, expect, it } from 'vitest';
import { SEED } from '@bot/testing';
import { HandlerError, MalformedEventError, ValidationError, type BotError } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/*
 * A message whose attachment list holds something other than objects is the platform's defect:
 * error() receives it as a MalformedEventError naming the item, and no handler sees the message
 * typed with a `null` or a number as an attachment (reading `.url` would then throw in the
 * handler and be blamed on the bot as a HandlerError).
 */
describe('a message whose attachments are not all objects', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('reaches error() as a MalformedEventError naming the item, for guild, group and C2C messages', async () => {
    const errors: BotError[] = [];
    const urls: string[] = [];
    const read = (message: { attachments: readonly { url: string }[] }): void => {
      for (const attachment of message.attachments) urls.push(attachment.url);
    };
    harness = await startHarness([
      {
        messageCreate: (_ctx, message) => read(message),
        groupMessageCreate: (_ctx, message) => read(message),
        c2cMessageCreate: (_ctx, message) => read(message),
        error: (error) => void errors.push(error),
      },
    ]);
    const guild = harness.emulator.simulate.dispatch(
      'AT_MESSAGE_CREATE',
      {
        id: 'guild-msg',
        channel_id: SEED.channels.hallGeneral,
        guild_id: SEED.guilds[0],
        content: 'look',
        author: { id: SEED.users.alice, username: 'alice' },
        attachments: [null, 5],
      },
      { guildId: SEED.guilds[0] },
    );
    const group = harness.emulator.simulate.dispatch('GROUP_AT_MESSAGE_CREATE', {
      id: 'group-msg',
      content: 'look',
      group_openid: SEED.groups.bookClub,
      author: { member_openid: SEED.groupMembers.erin },
      attachments: [{ url: 'https://example.com/a.png' }, 'b.png'],
    });
    const c2c = harness.emulator.simulate.dispatch('C2C_MESSAGE_CREATE', {
      id: 'c2c-msg',
      content: 'look',
      author: { user_openid: SEED.c2cUsers.judy },
      attachments: [[]],
    });
    harness.emulator.simulate.dispatch('C2C_MESSAGE_CREATE', {
      id: 'c2c-next',
      content: 'next one',
      author: { user_openid: SEED.c2cUsers.judy },
      attachments: [{ url: 'https://example.com/next.png' }],
    });
    await expect.poll(() => urls).toEqual(['https://example.com/next.png']);
    await expect.poll(() => errors.length).toBe(3);
    await harness.client.idle();

    expect(errors.some((error) => error instanceof HandlerError)).toBe(false);
    for (const error of errors) {
      expect(error).toBeInstanceOf(MalformedEventError);
      expect(error.cause).toBeInstanceOf(ValidationError);
    }
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'AT_MESSAGE_CREATE', eventId: guild.id, field: 'd.attachments[0]' }),
        expect.objectContaining({
          event: 'GROUP_AT_MESSAGE_CREATE',
          eventId: group.id,
          field: 'd.attachments[1]',
        }),
        expect.objectContaining({ event: 'C2C_MESSAGE_CREATE', eventId: c2c.id, field: 'd.attachments[0]' }),
      ]),
    );
    expect(errors.map((error) => error.message).join('\n')).toMatch(
      /d\.attachments\[0\] must be an object, got null/,
    );
    // Only the well-formed message reached a handler.
    expect(urls).toEqual(['https://example.com/next.png']);
  });
});
