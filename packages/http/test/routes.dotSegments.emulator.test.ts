import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// A path value is encoded, but `.` and `..` have nothing to encode: as a whole segment, URL
// parsing resolves them, and the request climbs to another route of the same host. An id a user
// typed ("/unrole .. admins") must not turn taking a role from a member into deleting the role.

describe('path values "." and ".."', () => {
  const setup = useEmulatorRest();

  it('are refused before sending: removing a role from member ".." does not delete the role', async () => {
    const guildId = setup.emulator.simulate.guildAtMessage({ content: 'hi' }).d.guild_id;
    const { role_id: roleId } = await setup.api.roles.create(guildId, { name: 'helpers' });

    for (const userId of ['..', '.']) {
      const error = await setup.api.roles.removeMember(guildId, userId, roleId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'userId' });
    }

    const { roles } = await setup.api.roles.list(guildId);
    expect(roles.map((role) => role.id)).toContain(roleId);
    expect(setup.emulator.world.guilds.rolesOf(guildId)?.has(roleId)).toBe(true);
  });

  it('are refused by RestClient.request too, naming the placeholder', async () => {
    const guildId = setup.emulator.simulate.guildAtMessage({ content: 'hi' }).d.guild_id;
    const { role_id: roleId } = await setup.api.roles.create(guildId, { name: 'helpers' });

    const error = await setup.rest
      .request({
        method: 'DELETE',
        route: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}',
        params: { guild_id: guildId, user_id: '..', role_id: roleId },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'user_id' });
    expect(setup.emulator.world.guilds.rolesOf(guildId)?.has(roleId)).toBe(true);
  });
});
