import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalString } from '../fields.js';
import { requireChannel } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { ok } from '../Router.js';

/** Voice and live channel types. */
const VOICE_TYPES: ReadonlySet<number> = new Set([2, 10005]);
/** Audio control status: start, pause, resume, stop. */
const AUDIO_STATUS: ReadonlySet<number> = new Set([0, 1, 2, 3]);

/** Audio control, the bot's mic, and who is in a voice channel. */
export const audioRoutes: RouteModule = (router, { world }) => {
  const voiceChannel = (channelId: string): { id: string; guild_id: string } => {
    const channel = requireChannel(world, channelId);
    if (!VOICE_TYPES.has(channel.type))
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        `channel ${channelId} is not a voice or live channel`,
      );
    return channel;
  };

  router.add('POST /channels/{channel_id}/audio', ({ params, body: raw }) => {
    const channel = voiceChannel(params['channel_id'] ?? '');
    const body = bodyObject(raw);
    const status = optionalInteger(body, 'status');
    if (status === undefined || !AUDIO_STATUS.has(status))
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        'field "status" must be 0 (start), 1 (pause), 2 (resume) or 3 (stop)',
      );
    const url = optionalString(body, 'audio_url');
    if (status === 0 && !url)
      throw new RestError(400, ErrorCode.RequestInvalid, 'field "audio_url" is required to start playing');
    optionalString(body, 'text');
    world.content.audioStatus.set(channel.id, status);
    return ok({});
  });

  router.add('PUT /channels/{channel_id}/mic', ({ params }) => {
    const channel = voiceChannel(params['channel_id'] ?? '');
    world.content.micChannels.add(channel.id);
    return ok({});
  });

  router.add('DELETE /channels/{channel_id}/mic', ({ params }) => {
    const channel = voiceChannel(params['channel_id'] ?? '');
    world.content.micChannels.delete(channel.id);
    return ok({});
  });

  router.add('GET /channels/{channel_id}/voice/members', ({ params }) => {
    const channel = voiceChannel(params['channel_id'] ?? '');
    const present = [...(world.content.voiceMembers.get(channel.id) ?? [])];
    return ok(
      present.flatMap((userId) => {
        const member = world.guilds.memberRecord(channel.guild_id, userId);
        return member ? [world.guilds.memberWire(channel.guild_id, member)] : [];
      }),
    );
  });
};
