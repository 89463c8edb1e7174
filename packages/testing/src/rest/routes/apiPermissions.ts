import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalObject, optionalString, requiredString } from '../fields.js';
import { requireChannel, requireGuild } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { ok } from '../Router.js';

/** The APIs a guild lists with their authorisation status (1 granted, 0 needs a request). */
const GUILD_APIS = [
  { path: '/guilds/{guild_id}/members/{user_id}', method: 'GET', desc: 'Get a member', auth_status: 1 },
  { path: '/guilds/{guild_id}/members/{user_id}', method: 'DELETE', desc: 'Remove a member', auth_status: 0 },
  { path: '/channels/{channel_id}/messages', method: 'POST', desc: 'Send a channel message', auth_status: 1 },
  { path: '/guilds/{guild_id}/mute', method: 'PATCH', desc: 'Mute the guild', auth_status: 0 },
  {
    path: '/guilds/{guild_id}/announces',
    method: 'POST',
    desc: 'Create a guild announcement',
    auth_status: 0,
  },
  { path: '/channels/{channel_id}/pins/{message_id}', method: 'PUT', desc: 'Pin a message', auth_status: 0 },
] as const;

/** The guild's API permission list and permission requests. */
export const apiPermissionRoutes: RouteModule = (router, { world }) => {
  router.add('GET /guilds/{guild_id}/api_permission', ({ params }) => {
    requireGuild(world, params['guild_id'] ?? '');
    return ok({ apis: GUILD_APIS.map((api) => ({ ...api })) });
  });

  router.add('POST /guilds/{guild_id}/api_permission/demand', ({ params, body: raw }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const body = bodyObject(raw);
    const channelId = requiredString(body, 'channel_id');
    if (requireChannel(world, channelId).guild_id !== guildId)
      throw new RestError(
        400,
        ErrorCode.ApiPermissionParamInvalid,
        `channel ${channelId} is not in guild ${guildId}`,
      );
    const identify = optionalObject(body, 'api_identify');
    const path = identify ? optionalString(identify, 'path') : undefined;
    const method = identify ? optionalString(identify, 'method') : undefined;
    const api = GUILD_APIS.find((a) => a.path === path && a.method === method?.toUpperCase());
    if (!api)
      throw new RestError(
        400,
        ErrorCode.ApiPermissionParamInvalid,
        'field "api_identify" must name an API listed by GET /guilds/{guild_id}/api_permission',
      );
    const demand = {
      guild_id: guildId,
      channel_id: channelId,
      api_identify: { path: api.path, method: api.method },
      title: `Request: ${api.desc}`,
      desc: optionalString(body, 'desc') ?? '',
    };
    world.content.apiDemands.push(demand);
    return ok(demand);
  });
};
