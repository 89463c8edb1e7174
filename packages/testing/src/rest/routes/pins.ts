import { ErrorCode } from '../errorCodes.js';
import { requireChannel } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/** Most messages a channel can have pinned. */
const MAX_PINS = 20;

/** Pinned (精华) messages of a channel. */
export const pinRoutes: RouteModule = (router, { world }) => {
  const pinsOf = (
    guildId: string,
    channelId: string,
  ): { guild_id: string; channel_id: string; message_ids: string[] } => ({
    guild_id: guildId,
    channel_id: channelId,
    message_ids: world.messages.pins(channelId),
  });

  router.add('GET /channels/{channel_id}/pins', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    return ok(pinsOf(channel.guild_id, channel.id));
  });

  router.add('PUT /channels/{channel_id}/pins/{message_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const messageId = params['message_id'] ?? '';
    if (!world.messages.find(messageId, 'guild', channel.id))
      throw new RestError(
        404,
        ErrorCode.AnnounceMessageMissing,
        `message ${messageId} does not exist in channel ${channel.id}`,
      );
    const pins = world.messages.pins(channel.id);
    if (!pins.includes(messageId) && pins.length >= MAX_PINS)
      throw new RestError(
        400,
        ErrorCode.PinLimitReached,
        `a channel holds at most ${MAX_PINS} pinned messages`,
      );
    world.messages.pin(channel.id, messageId);
    return ok(pinsOf(channel.guild_id, channel.id));
  });

  router.add('DELETE /channels/{channel_id}/pins/{message_id}', ({ params }) => {
    const channel = requireChannel(world, params['channel_id'] ?? '');
    const messageId = params['message_id'] ?? '';
    if (messageId !== 'all' && !world.messages.pins(channel.id).includes(messageId)) {
      throw new RestError(404, ErrorCode.AnnounceMessageMissing, `message ${messageId} is not pinned`);
    }
    world.messages.unpin(channel.id, messageId);
    return noContent();
  });
};
