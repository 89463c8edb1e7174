import { afterEach, describe, expect, it } from 'vitest';
import { Emulator, Intent, SEED, shardForGuild } from '@bot/testing';
import { GatewayClient } from './helpers/GatewayClient.js';

const INTENTS = Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES;

/** `Emulator.start({ shards })` seeds the world as the CLI's `--shards` does: a guild on every shard. */
describe('Emulator.start({ shards }): guilds on every shard', () => {
  let emu: Emulator | undefined;
  const clients: GatewayClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await emu?.stop();
    emu = undefined;
  });

  it('with 8 shards keeps the seed guilds and adds one for each shard they miss, so shard 5 gets guild events', async () => {
    emu = await Emulator.start({ shards: 8 });
    const ids = emu.world.guilds.allGuilds().map((guild) => guild.id);
    expect(ids).toEqual(expect.arrayContaining([...SEED.guilds]));
    expect(new Set(ids.map((id) => shardForGuild(id, 8)))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));

    const shard5 = await GatewayClient.connect(emu.gatewayUrl);
    clients.push(shard5);
    await shard5.identify(emu.createAccessToken(), INTENTS, [5, 8]);
    const guildId = ids.find((id) => shardForGuild(id, 8) === 5) ?? '';
    emu.simulate.guildAtMessage({ guildId, content: 'hi five' });
    expect((await shard5.dispatch('AT_MESSAGE_CREATE')).d).toMatchObject({ guild_id: guildId });
  });

  it('adds no guild when the seed guilds already cover every shard', async () => {
    emu = await Emulator.start({ shards: 2 });
    expect(emu.world.guilds.allGuilds().map((guild) => guild.id)).toEqual([...SEED.guilds]);
  });
});
