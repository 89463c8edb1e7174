import type { Channel } from '../../protocol/wire.js';
import { ErrorCode } from '../errorCodes.js';
import {
  bodyObject,
  optionalInteger,
  optionalString,
  optionalStringArray,
  requiredString,
} from '../fields.js';
import { requireChannel, requireGuild } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { ok } from '../Router.js';

/** Channel types the platform lets bots create: text, voice, category, live, application, forum. */
const CREATABLE_TYPES: ReadonlySet<number> = new Set([0, 2, 4, 10005, 10006, 10007]);
/** The category channel type, whose position the docs require to be at least 2. */
const CATEGORY_TYPE = 4;
const MIN_CATEGORY_POSITION = 2;

/** Channel listing, creation, update, deletion and online counts; changes emit CHANNEL_* events. */
export const channelRoutes: RouteModule = (router, { world, ids, events }) => {
  router.add('GET /guilds/{guild_id}/channels', ({ params }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    return ok(world.guilds.channelsOf(guildId));
  });

  router.add('POST /guilds/{guild_id}/channels', ({ params, body: raw }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const body = bodyObject(raw);
    const name = requiredString(body, 'name');
    const type = optionalInteger(body, 'type') ?? 0;
    if (!CREATABLE_TYPES.has(type))
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        `field "type" ${type} is not a channel type bots can create`,
      );
    const position = optionalInteger(body, 'position');
    if (type === CATEGORY_TYPE && position !== undefined && position < MIN_CATEGORY_POSITION)
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        `field "position" of a category must be at least ${MIN_CATEGORY_POSITION}`,
      );
    const privateType = optionalInteger(body, 'private_type') ?? 0;
    optionalStringArray(body, 'private_user_ids');
    const channel: Channel = {
      id: ids.snowflake(),
      guild_id: guildId,
      name,
      type,
      sub_type: optionalInteger(body, 'sub_type') ?? 0,
      position: position ?? world.guilds.channelsOf(guildId).length + 1,
      parent_id: optionalString(body, 'parent_id') ?? '0',
      owner_id: world.bot.id,
      private_type: privateType,
      speak_permission: optionalInteger(body, 'speak_permission') ?? 1,
      application_id: optionalString(body, 'application_id') ?? '0',
      permissions: '6',
    };
    world.guilds.putChannel(channel);
    events.publish('CHANNEL_CREATE', { ...channel, op_user_id: world.bot.id }, { guildId });
    return ok(channel);
  });

  router.add('GET /channels/{channel_id}', ({ params }) =>
    ok(requireChannel(world, params['channel_id'] ?? '')),
  );

  router.add('PATCH /channels/{channel_id}', ({ params, body: raw }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const body = bodyObject(raw);
    const updated: Channel = {
      ...channel,
      name: optionalString(body, 'name') ?? channel.name,
      position: optionalInteger(body, 'position') ?? channel.position,
      parent_id: optionalString(body, 'parent_id') ?? channel.parent_id,
      private_type: optionalInteger(body, 'private_type') ?? channel.private_type,
      speak_permission: optionalInteger(body, 'speak_permission') ?? channel.speak_permission,
    };
    world.guilds.putChannel(updated);
    events.publish('CHANNEL_UPDATE', { ...updated, op_user_id: world.bot.id }, { guildId: updated.guild_id });
    return ok(updated);
  });

  router.add('DELETE /channels/{channel_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    world.guilds.deleteChannel(channel.id);
    events.publish('CHANNEL_DELETE', { ...channel, op_user_id: world.bot.id }, { guildId: channel.guild_id });
    return ok(channel);
  });

  router.add('GET /channels/{channel_id}/online_nums', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    return ok({ online_nums: world.guilds.memberRecords(channel.guild_id).length });
  });
};
