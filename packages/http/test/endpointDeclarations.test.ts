import { describe, expect, it } from 'vitest';
import { Routes, ValidationError } from '@bot/http';
import { announceEndpoints } from '../src/api/endpoints/announces.js';
import { apiPermissionEndpoints } from '../src/api/endpoints/apiPermissions.js';
import { audioEndpoints } from '../src/api/endpoints/audio.js';
import { channelEndpoints } from '../src/api/endpoints/channels.js';
import { dmEndpoints } from '../src/api/endpoints/dms.js';
import { gatewayEndpoints } from '../src/api/endpoints/gateway.js';
import { guildEndpoints } from '../src/api/endpoints/guilds.js';
import { interactionEndpoints } from '../src/api/endpoints/interactions.js';
import { memberEndpoints } from '../src/api/endpoints/members.js';
import { messageEndpoints } from '../src/api/endpoints/messages.js';
import { muteEndpoints } from '../src/api/endpoints/mutes.js';
import { permissionEndpoints } from '../src/api/endpoints/permissions.js';
import { pinEndpoints } from '../src/api/endpoints/pins.js';
import { reactionEndpoints } from '../src/api/endpoints/reactions.js';
import { roleEndpoints } from '../src/api/endpoints/roles.js';
import { scheduleEndpoints } from '../src/api/endpoints/schedules.js';
import { settingGuideEndpoints } from '../src/api/endpoints/settingGuides.js';
import { threadEndpoints } from '../src/api/endpoints/threads.js';
import { userEndpoints } from '../src/api/endpoints/users.js';
import type { AnyEndpoint } from '../src/api/endpoint.js';
import { useFakeApi } from './support/fakeApi.js';

const tables: Record<string, Readonly<Record<string, AnyEndpoint>>> = {
  announceEndpoints,
  apiPermissionEndpoints,
  audioEndpoints,
  channelEndpoints,
  dmEndpoints,
  gatewayEndpoints,
  guildEndpoints,
  interactionEndpoints,
  memberEndpoints,
  messageEndpoints,
  muteEndpoints,
  permissionEndpoints,
  pinEndpoints,
  reactionEndpoints,
  roleEndpoints,
  scheduleEndpoints,
  settingGuideEndpoints,
  threadEndpoints,
  userEndpoints,
};
const declarations = Object.entries(tables).flatMap(([table, endpoints]) =>
  Object.entries(endpoints).map(([name, declaration]) => [`${table}.${name}`, declaration] as const),
);

describe('endpoint declarations', () => {
  it.each(declarations)(
    '%s uses a route template of Routes, so the rate limiter keys it as before',
    (_, declaration) => {
      expect(Object.values(Routes)).toContain(declaration.route);
    },
  );

  it('names each path id after the argument it comes from', () => {
    expect(roleEndpoints.addMember.params).toEqual([
      ['guild_id', 'guildId'],
      ['user_id', 'userId'],
      ['role_id', 'roleId'],
    ]);
    expect(reactionEndpoints.add.params).toEqual([
      ['channel_id', 'channelId'],
      ['message_id', 'messageId'],
      ['type', 'emoji.type'],
      ['id', 'emoji.id'],
    ]);
  });

  it('marks exactly the message sends as auditable', () => {
    const auditable = declarations.filter(([, declaration]) => declaration.auditable).map(([name]) => name);
    expect(auditable).toEqual(['dmEndpoints.send', 'messageEndpoints.send']);
  });
});

describe('endpoint calls', () => {
  const fake = useFakeApi();

  it('checks the path ids before the input, so a wrong id is named even when the body is wrong too', async () => {
    const refused = await fake.api.roles.create('', {}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).field).toBe('guildId');
    expect(fake.platform.requests).toHaveLength(0);
  });

  it('takes the call options right after the path ids on an endpoint without input', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(fake.api.guilds.get('g1', { signal: controller.signal })).rejects.toBe(reason);
    expect(fake.platform.requests).toHaveLength(0);
  });
});
