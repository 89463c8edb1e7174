import { describe, expect, it } from 'vitest';
import {
  ApiError,
  MAX_PERMISSION_USERS,
  ValidationError,
  type UpdateMembersPermissionsBody,
} from '@bot/http';
import { ChannelPermission } from '@bot/core';
import { SEED } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// The batch form of a channel's member permissions (docs/protocol.md §8.13): one call grants and
// revokes the same bits for up to 50 members; the ids and the bit strings are checked before
// anything is sent.

/** Bypasses the compile-time type, to send what a JavaScript caller could. */
const untyped = <T>(value: unknown): T => value as T;

describe('batch channel permissions against the emulator', () => {
  const setup = useEmulatorRest();
  const channelId = SEED.channels.hallGeneral;
  const { alice, bob, carol, dave } = SEED.users;
  const batchCalls = () =>
    setup.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'PUT /channels/{channel_id}/permissions',
    );
  const permissionsOf = async (userId: string) =>
    (await setup.api.permissions.getForMember(channelId, userId)).permissions;

  it('grants and revokes bits for several members in one call, leaving the others alone', async () => {
    const speakAndView = String(ChannelPermission.View | ChannelPermission.Speak);
    await setup.api.permissions.updateForMembers(channelId, { add: speakAndView, user_ids: [bob, carol] });
    expect(await permissionsOf(bob)).toBe(speakAndView);
    expect(await permissionsOf(carol)).toBe(speakAndView);
    expect(await permissionsOf(alice)).toBe('0');

    await setup.api.permissions.updateForMembers(channelId, {
      remove: String(ChannelPermission.Speak),
      user_ids: [bob],
    });
    expect(await permissionsOf(bob)).toBe(String(ChannelPermission.View));
    expect(await permissionsOf(carol)).toBe(speakAndView);

    const sent = batchCalls().map((r) => (r.kind === 'rest' ? r.body : undefined));
    expect(sent).toEqual([
      { add: speakAndView, user_ids: [bob, carol] },
      { remove: String(ChannelPermission.Speak), user_ids: [bob] },
    ]);
  });

  it('revokes a bit that add and remove both set, as the docs say', async () => {
    await setup.api.permissions.updateForMembers(channelId, { add: '5', remove: '4', user_ids: [carol] });
    expect(await permissionsOf(carol)).toBe('1');
  });

  it(`takes ${MAX_PERMISSION_USERS} members in one call`, async () => {
    const joined = Array.from(
      { length: MAX_PERMISSION_USERS - 3 },
      () => setup.emulator.simulate.memberJoin({ guildId: SEED.guilds[0] }).d.user?.id ?? '',
    );
    const userIds = [alice, bob, carol, ...joined];
    expect(userIds).toHaveLength(MAX_PERMISSION_USERS);
    await setup.api.permissions.updateForMembers(channelId, { add: '1', user_ids: userIds });
    expect(await permissionsOf(joined.at(-1) ?? '')).toBe('1');
    expect(batchCalls()).toHaveLength(1);
  });

  it.each<[string, UpdateMembersPermissionsBody, string]>([
    ['neither add nor remove', { user_ids: [bob] }, 'body'],
    ['bits in hexadecimal', { add: '0x4', user_ids: [bob] }, 'body.add'],
    ['bits given as a number', untyped({ remove: 4, user_ids: [bob] }), 'body.remove'],
    ['no user_ids', untyped({ add: '1' }), 'body.user_ids'],
    ['user_ids as one string', untyped({ add: '1', user_ids: bob }), 'body.user_ids'],
    ['an empty user_ids', { add: '1', user_ids: [] }, 'body.user_ids'],
    ['an empty id', { add: '1', user_ids: [bob, ' '] }, 'body.user_ids[1]'],
    [
      `${MAX_PERMISSION_USERS + 1} ids`,
      { add: '1', user_ids: Array.from({ length: MAX_PERMISSION_USERS + 1 }, (_, i) => `${i + 1}`) },
      'body.user_ids',
    ],
  ])('refuses %s before sending', async (_name, body, field) => {
    const error = await setup.api.permissions
      .updateForMembers(channelId, body)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(batchCalls()).toEqual([]);
  });

  it('refuses an empty channel id and a body that is not an object before sending', async () => {
    await expect(
      setup.api.permissions.updateForMembers('', { add: '1', user_ids: [bob] }),
    ).rejects.toMatchObject({ field: 'channelId' });
    await expect(setup.api.permissions.updateForMembers(channelId, untyped(null))).rejects.toMatchObject({
      field: 'body',
    });
    expect(batchCalls()).toEqual([]);
  });

  it('reports the platform refusing an unknown channel, a non-member or an unknown bit, changing nothing', async () => {
    const unknownChannel = await setup.api.permissions
      .updateForMembers('9999', { add: '1', user_ids: [bob] })
      .catch((caught: unknown) => caught);
    expect(unknownChannel).toBeInstanceOf(ApiError);
    expect(unknownChannel).toMatchObject({ status: 404 });

    // Dave is in no guild of this channel: the whole call is refused, Bob's bits included.
    const nonMember = await setup.api.permissions
      .updateForMembers(channelId, { add: '1', user_ids: [bob, dave] })
      .catch((caught: unknown) => caught);
    expect(nonMember).toBeInstanceOf(ApiError);
    expect(nonMember).toMatchObject({ status: 404 });
    expect(await permissionsOf(bob)).toBe('0');

    const unknownBit = await setup.api.permissions
      .updateForMembers(channelId, { add: '16', user_ids: [bob] })
      .catch((caught: unknown) => caught);
    expect(unknownBit).toBeInstanceOf(ApiError);
    expect(unknownBit).toMatchObject({ status: 400, code: 301000 });
    expect(batchCalls()).toHaveLength(3);
  });
});
