import type { Announce } from '../../state/GuildContentStore.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalString } from '../fields.js';
import { requireChannel, requireGuild } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/** Guild-wide and channel announcements. */
export const announceRoutes: RouteModule = (router, { world }) => {
  const requireMessageIn = (channelId: string, messageId: string): void => {
    if (!world.messages.find(messageId, 'guild', channelId)) {
      throw new RestError(
        404,
        ErrorCode.AnnounceMessageMissing,
        `message ${messageId} does not exist in channel ${channelId}`,
      );
    }
  };

  router.add('POST /guilds/{guild_id}/announces', ({ params, body: raw }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const body = bodyObject(raw);
    const messageId = optionalString(body, 'message_id') ?? '';
    const channelId = optionalString(body, 'channel_id') ?? '';
    const announcesType = optionalInteger(body, 'announces_type') ?? 0;
    const recommend = body['recommend_channels'] ?? [];
    if (!Array.isArray(recommend) || recommend.length > 3) {
      throw new RestError(
        400,
        ErrorCode.AnnounceParamInvalid,
        'field "recommend_channels" must be an array of at most 3 entries',
      );
    }
    const recommendChannels = recommend.map((entry: unknown) => {
      const item = bodyObject(entry);
      const id = optionalString(item, 'channel_id') ?? '';
      if (requireChannel(world, id).guild_id !== guildId)
        throw new RestError(400, ErrorCode.AnnounceParamInvalid, `channel ${id} is not in guild ${guildId}`);
      return { channel_id: id, introduce: optionalString(item, 'introduce') ?? '' };
    });
    if (messageId !== '') {
      if (channelId === '')
        throw new RestError(
          400,
          ErrorCode.AnnounceParamInvalid,
          'field "channel_id" is required with "message_id"',
        );
      requireMessageIn(channelId, messageId);
    } else if (recommendChannels.length === 0) {
      throw new RestError(
        400,
        ErrorCode.AnnounceParamInvalid,
        'set "message_id" and "channel_id", or "recommend_channels"',
      );
    }
    const announce: Announce = {
      guild_id: guildId,
      channel_id: channelId,
      message_id: messageId,
      announces_type: announcesType,
      recommend_channels: recommendChannels,
    };
    world.content.guildAnnounces.set(guildId, [
      ...(world.content.guildAnnounces.get(guildId) ?? []),
      announce,
    ]);
    return ok(announce);
  });

  router.add('DELETE /guilds/{guild_id}/announces/{message_id}', ({ params }) => {
    const guildId = params['guild_id'] ?? '';
    requireGuild(world, guildId);
    const messageId = params['message_id'] ?? '';
    const announces = world.content.guildAnnounces.get(guildId) ?? [];
    if (messageId === 'all') {
      world.content.guildAnnounces.delete(guildId);
      return noContent();
    }
    if (!announces.some((a) => a.message_id === messageId))
      throw new RestError(404, ErrorCode.AnnounceMessageMissing, `no announcement for message ${messageId}`);
    world.content.guildAnnounces.set(
      guildId,
      announces.filter((a) => a.message_id !== messageId),
    );
    return noContent();
  });

  router.add('POST /channels/{channel_id}/announces', ({ params, body: raw }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const body = bodyObject(raw);
    const messageId = optionalString(body, 'message_id');
    if (!messageId)
      throw new RestError(400, ErrorCode.AnnounceParamInvalid, 'field "message_id" is required');
    requireMessageIn(channel.id, messageId);
    const announce: Announce = {
      guild_id: channel.guild_id,
      channel_id: channel.id,
      message_id: messageId,
      announces_type: 0,
      recommend_channels: [],
    };
    world.content.channelAnnounces.set(channel.id, announce);
    return ok(announce);
  });

  router.add('DELETE /channels/{channel_id}/announces/{message_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const messageId = params['message_id'] ?? '';
    const current = world.content.channelAnnounces.get(channel.id);
    if (messageId !== 'all' && current?.message_id !== messageId) {
      throw new RestError(404, ErrorCode.AnnounceMessageMissing, `no announcement for message ${messageId}`);
    }
    world.content.channelAnnounces.delete(channel.id);
    return noContent();
  });
};
