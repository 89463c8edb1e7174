import { afterEach, describe, expect, it } from 'vitest';
import { Emulator, EmulatorError, MAX_EMULATOR_SHARDS, SEED, shardForGuild } from '@bot/testing';

/**
 * `Emulator.start({ shards })` seeds a guild on every shard in one pass over the guilds, so the
 * largest count a bot may run (the gateway's bound of 10,000) starts at once, and a larger count is
 * refused before anything is built.
 */
describe('Emulator.start({ shards }) at the shard bound', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.stop();
    emu = undefined;
  });

  it('starts with 10,000 shards in well under the seconds a guild search per shard took, a guild on each', async () => {
    expect(MAX_EMULATOR_SHARDS).toBe(10_000);
    const started = performance.now();
    emu = await Emulator.start({ shards: MAX_EMULATOR_SHARDS });
    const ms = performance.now() - started;
    // A search of every guild per shard took 3.9 s at 4,000 shards and grows with the square.
    expect(ms).toBeLessThan(3_000);
    const guilds = emu.world.guilds.allGuilds();
    expect(guilds.map((guild) => guild.id)).toEqual(expect.arrayContaining([...SEED.guilds]));
    const covered = new Set(guilds.map((guild) => shardForGuild(guild.id, MAX_EMULATOR_SHARDS)));
    expect(covered.size).toBe(MAX_EMULATOR_SHARDS);
    expect(guilds).toHaveLength(MAX_EMULATOR_SHARDS);
  }, 60_000);

  it('gives the same guilds as a guild looked up shard by shard', async () => {
    emu = await Emulator.start({ shards: 37 });
    const everyShard = emu.world.guildsOnEveryShard(37);
    expect(everyShard.map((guild) => shardForGuild(guild.id, 37))).toEqual(
      Array.from({ length: 37 }, (_, shard) => shard),
    );
    for (let shard = 0; shard < 37; shard += 1)
      expect(emu.world.guildOnShard(shard, 37).id).toBe(everyShard[shard]!.id);
    // Asking again adds nothing.
    expect(emu.world.guilds.allGuilds()).toHaveLength(37);
  });

  it('refuses more shards than the bound with an EmulatorError naming the option and the bound', async () => {
    const start = Emulator.start({ shards: MAX_EMULATOR_SHARDS + 1 });
    await expect(start).rejects.toThrow(EmulatorError);
    await expect(start).rejects.toThrow(/shards must be at most 10,000.*got 10001/);
    await expect(Emulator.start({ shards: 2 ** 31 })).rejects.toThrow(/shards must be at most 10,000/);
  });

  it('refuses a count past the bound or not a count in world.guildsOnEveryShard too', async () => {
    emu = await Emulator.start();
    expect(() => emu!.world.guildsOnEveryShard(MAX_EMULATOR_SHARDS + 1)).toThrow(EmulatorError);
    expect(() => emu!.world.guildsOnEveryShard(0)).toThrow(/shard count/);
    expect(() => emu!.world.guildOnShard(3, 2)).toThrow(EmulatorError);
  });
});
