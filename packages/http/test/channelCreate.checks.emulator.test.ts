import { describe, expect, it } from 'vitest';
import { ChannelPrivateType, ChannelType, ValidationError, type CreateChannelBody } from '@bot/http';
import { SEED } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// Creating a channel (docs/protocol.md §8.12): a category's position is at least 2, and the
// member list of a private channel and an application channel's AppID are checked before sending.

/** Bypasses the compile-time type, to send what a JavaScript caller could. */
const untyped = <T>(value: unknown): T => value as T;

describe('channel creation checks against the emulator', () => {
  const setup = useEmulatorRest();
  const guildId = SEED.guilds[0];
  const creations = () =>
    setup.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'POST /guilds/{guild_id}/channels',
    );

  it.each<[string, CreateChannelBody, string]>([
    ['a category at position 0', { name: 'c', type: ChannelType.Category, position: 0 }, 'body.position'],
    ['a category at position 1', { name: 'c', type: ChannelType.Category, position: 1 }, 'body.position'],
    [
      'private_user_ids that is not an array',
      untyped({ name: 'p', type: ChannelType.Text, position: 1, private_user_ids: 'x' }),
      'body.private_user_ids',
    ],
    [
      'an empty id in private_user_ids',
      {
        name: 'p',
        type: ChannelType.Text,
        position: 1,
        private_type: ChannelPrivateType.SelectedMembers,
        private_user_ids: [SEED.users.alice, ''],
      },
      'body.private_user_ids[1]',
    ],
    [
      'an empty application_id',
      { name: 'a', type: ChannelType.Application, position: 1, application_id: '' },
      'body.application_id',
    ],
  ])('refuses %s before sending', async (_name, body, field) => {
    const error = await setup.api.channels.create(guildId, body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(creations()).toEqual([]);
  });

  it('creates a category at position 2 and a channel for chosen members', async () => {
    const category = await setup.api.channels.create(guildId, {
      name: 'c',
      type: ChannelType.Category,
      position: 2,
    });
    expect(category).toMatchObject({ type: ChannelType.Category, position: 2 });
    const chosen = await setup.api.channels.create(guildId, {
      name: 'p',
      type: ChannelType.Text,
      position: 1,
      private_type: ChannelPrivateType.SelectedMembers,
      private_user_ids: [SEED.users.alice],
    });
    expect(chosen).toMatchObject({ private_type: ChannelPrivateType.SelectedMembers });
    expect(creations().map((r) => (r.kind === 'rest' ? r.body : undefined))[1]).toMatchObject({
      private_user_ids: [SEED.users.alice],
    });
  });
});
