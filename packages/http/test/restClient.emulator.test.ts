import { describe, expect, it } from 'vitest';
import { ApiError, RestClient } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// Re-send rules checked against the emulator's platform rules rather than a scripted server: what
// the platform stores is what a user would see.

describe('RestClient against the emulator', () => {
  const setup = useEmulatorRest();

  it('posts a guild channel reply once when its send landed but was answered 500, and gives the caller the error', async () => {
    const inbound = setup.emulator.simulate.guildAtMessage({ content: 'hello' });
    const channelId = inbound.d.channel_id;
    setup.emulator.faults.failRoute('POST /channels/{channel_id}/messages', {
      status: 500,
      afterHandling: true,
    });

    const error = await setup.rest
      .request({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: channelId },
        body: { content: 'only once', msg_id: inbound.d.id },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500 });
    const posted = setup.emulator.world.messages.inConversation('guild', channelId).filter((m) => m.fromBot);
    expect(posted.map((m) => m.content)).toEqual(['only once']);
  });

  it('posts a DM reply once when its send landed but was answered 500, and gives the caller the error', async () => {
    const inbound = setup.emulator.simulate.directMessage({ content: 'hello' });
    const guildId = inbound.d.guild_id;
    setup.emulator.faults.failRoute('POST /dms/{guild_id}/messages', { status: 500, afterHandling: true });

    const error = await setup.rest
      .request({
        method: 'POST',
        route: '/dms/{guild_id}/messages',
        params: { guild_id: guildId },
        body: { content: 'only once', msg_id: inbound.d.id },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500 });
    const posted = setup.emulator.world.messages.inConversation('dm', guildId).filter((m) => m.fromBot);
    expect(posted.map((m) => m.content)).toEqual(['only once']);
  });
});
