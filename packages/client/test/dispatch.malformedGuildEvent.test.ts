import { afterEach, describe, expect, it } from 'vitest';
import { SEED } from '@bot/testing';
import { HandlerError, MalformedEventError, ValidationError, type BotError } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/*
 * Member, reaction and forum payloads the platform shaped wrongly reach error() as the platform's
 * defect, naming the field, as malformed messages do (dispatch.malformedEvent.test): not as a
 * HandlerError of a handler that met a TypeError, and no handler sees them.
 */
describe('a member, reaction or forum payload the model refuses', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('reaches error() as a MalformedEventError naming the field and the event id', async () => {
    const errors: BotError[] = [];
    const joined: string[] = [];
    const handled: string[] = [];
    harness = await startHarness([
      {
        guildMemberAdd: (_ctx, member) => void joined.push(member.user.id),
        guildMemberRemove: () => void handled.push('guildMemberRemove'),
        messageReactionAdd: () => void handled.push('messageReactionAdd'),
        forumThreadCreate: () => void handled.push('forumThreadCreate'),
        error: (error) => void errors.push(error),
      },
    ]);
    const guildId = SEED.guilds[0];
    const routing = { guildId };
    const userAsNumber = harness.emulator.simulate.dispatch(
      'GUILD_MEMBER_ADD',
      { guild_id: guildId, user: 5, nick: 'five', joined_at: new Date().toISOString() },
      routing,
    );
    const noPayload = harness.emulator.simulate.dispatch('GUILD_MEMBER_REMOVE', null, routing);
    const noChannel = harness.emulator.simulate.dispatch(
      'MESSAGE_REACTION_ADD',
      {
        user_id: SEED.users.alice,
        guild_id: guildId,
        target: { id: 'm1', type: 0 },
        emoji: { id: '4', type: 1 },
      },
      routing,
    );
    const threadInfoAsText = harness.emulator.simulate.dispatch(
      'FORUM_THREAD_CREATE',
      { guild_id: guildId, channel_id: SEED.channels.hallForum, author_id: 'u7', thread_info: 'hello' },
      routing,
    );
    const next = harness.emulator.simulate.memberJoin({ guildId, username: 'next one' });
    await expect.poll(() => joined).toEqual([next.d.user?.id]);
    await harness.client.idle();

    expect(handled).toEqual([]);
    expect(errors.some((error) => error instanceof HandlerError)).toBe(false);
    expect(errors).toHaveLength(4);
    for (const error of errors) {
      expect(error).toBeInstanceOf(MalformedEventError);
      expect(error.cause).toBeInstanceOf(ValidationError);
    }
    // Each in its own event's run: their reports need not arrive in the order the events did.
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'GUILD_MEMBER_ADD', eventId: userAsNumber.id, field: 'd.user' }),
        expect.objectContaining({ event: 'GUILD_MEMBER_REMOVE', eventId: noPayload.id, field: 'd' }),
        expect.objectContaining({
          event: 'MESSAGE_REACTION_ADD',
          eventId: noChannel.id,
          field: 'd.channel_id',
        }),
        expect.objectContaining({
          event: 'FORUM_THREAD_CREATE',
          eventId: threadInfoAsText.id,
          field: 'd.thread_info',
        }),
      ]),
    );
    const memberError = errors.find((error) => (error as MalformedEventError).event === 'GUILD_MEMBER_ADD')!;
    expect(memberError.message).toContain(userAsNumber.id);
    expect(memberError.message).toMatch(/d\.user must be an object: the event names no member, got a number/);
  });
});
