import type { Guild, User } from '../protocol/wire.js';
import { EmulatorError } from '../EmulatorError.js';
import { MAX_EMULATOR_SHARDS, shardForGuild } from '../util/ids.js';
import { DirectMessageStore } from './DirectMessageStore.js';
import { GuildContentStore } from './GuildContentStore.js';
import { GuildStore, type MemberRecord } from './GuildStore.js';
import { MessageStore } from './MessageStore.js';
import { OpenStore } from './OpenStore.js';
import { SEED, seedWorld } from './seed.js';

/** The timestamp part of the first id tried for a guild made for a shard: past the seed guilds'. */
const SHARD_GUILD_BASE = 252_000_000_100n;

/** Refuses a shard count that is not an integer from 1 to {@link MAX_EMULATOR_SHARDS}. */
function requireShardCount(shardCount: number): void {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_EMULATOR_SHARDS)
    throw new EmulatorError(
      `shard count must be an integer from 1 to ${MAX_EMULATOR_SHARDS.toLocaleString('en-US')} ` +
        `(the gateway's bound), got ${shardCount}`,
    );
}

/** The ids simulations use when a test does not name a target. */
export interface WorldDefaults {
  /** The first seed guild ("Emulator Hall"). */
  guildId: string;
  /** Its "general" text channel. */
  channelId: string;
  /** A member of that guild (Alice, the owner). */
  userId: string;
  /** The DM guild id of the seed DM session with Alice. */
  dmGuildId: string;
  /** The first seed group ("Book Club"). */
  groupOpenid: string;
  /** A member of that group. */
  memberOpenid: string;
  /** The first seed C2C user (Judy). */
  userOpenid: string;
}

/** A guild to create with {@link World.createGuild}. */
export interface NewGuild {
  id: string;
  /** Id of its "general" text channel. */
  channelId: string;
  name: string;
  description: string;
  /** The owner, an existing user. */
  ownerId: string;
  /** When the bot joined (ISO 8601). */
  joinedAt: string;
}

/**
 * The platform's in-memory state: everything REST reads and writes and simulations act on.
 */
export class World {
  /** The bot's own user. */
  readonly bot: User;
  /** Guilds, channels, members, roles and channel permissions. */
  readonly guilds = new GuildStore();
  /** Messages of every scene, pins and reactions. */
  readonly messages = new MessageStore();
  /** Groups, C2C users and rich-media uploads. */
  readonly open = new OpenStore();
  /** Direct-message sessions. */
  readonly dms = new DirectMessageStore();
  /** Announcements, schedules, threads, API permission requests and voice state. */
  readonly content = new GuildContentStore();
  /** Targets used when a simulation names none. */
  readonly defaults: WorldDefaults = {
    guildId: SEED.guilds[0],
    channelId: SEED.channels.hallGeneral,
    userId: SEED.users.alice,
    dmGuildId: SEED.dm.guildId,
    groupOpenid: SEED.groups.bookClub,
    memberOpenid: SEED.groupMembers.erin,
    userOpenid: SEED.c2cUsers.judy,
  };

  /** Creates the seed world. */
  constructor() {
    seedWorld(this);
    const bot = this.guilds.user(SEED.botId);
    if (!bot) throw new Error('seed world lacks its bot user');
    this.bot = bot;
  }

  /**
   * A guild whose events go to `shardId` when the bot runs `shardCount` shards: a seed guild when
   * one fits, otherwise a new guild (with a "general" channel and the bot as member) created for it.
   *
   * @throws EmulatorError when `shardCount` is not a count up to {@link MAX_EMULATOR_SHARDS} or
   *   `shardId` is not one of its shards
   */
  guildOnShard(shardId: number, shardCount: number): Guild {
    requireShardCount(shardCount);
    if (!Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount)
      throw new EmulatorError(
        `shard id must be an integer from 0 to ${shardCount - 1} of shard count ${shardCount}, got ${shardId}`,
      );
    const existing = this.guilds.allGuilds().find((g) => shardForGuild(g.id, shardCount) === shardId);
    return existing ?? this.#createShardGuild(shardId, shardCount);
  }

  /**
   * A guild on every shard of `shardCount`, by shard id: the seed guilds where they fit (they cover
   * shards 0–3), a guild created by {@link World.guildOnShard} for each other shard. The ids are
   * the same on every run for the same count, and no seed id changes.
   *
   * @param shardCount - the bot's shard count, at most {@link MAX_EMULATOR_SHARDS}
   * @throws EmulatorError when `shardCount` is not a count up to {@link MAX_EMULATOR_SHARDS}
   */
  guildsOnEveryShard(shardCount: number): Guild[] {
    requireShardCount(shardCount);
    // One pass over the guilds, the lowest id first as guildOnShard picks: a search per shard made
    // a start with thousands of shards take seconds.
    const byShard = new Map<number, Guild>();
    for (const guild of this.guilds.allGuilds()) {
      const shardId = shardForGuild(guild.id, shardCount);
      if (!byShard.has(shardId)) byShard.set(shardId, guild);
    }
    return Array.from(
      { length: shardCount },
      (_, shardId) => byShard.get(shardId) ?? this.#createShardGuild(shardId, shardCount),
    );
  }

  /** Creates the guild of a shard no guild maps to, at the lowest free id above the seed ids that does. */
  #createShardGuild(shardId: number, shardCount: number): Guild {
    const idAt = (timestamp: bigint): string => ((timestamp << 22n) | 17n).toString();
    const count = BigInt(shardCount);
    // The first timestamp from the last seed guild's upward that maps to the shard, then every
    // count-th one past ids taken: the ids a walk one by one would find, in a few steps.
    let timestamp = SHARD_GUILD_BASE + ((BigInt(shardId) - (SHARD_GUILD_BASE % count) + count) % count);
    while (this.guilds.guild(idAt(timestamp))) timestamp += count;
    return this.createGuild({
      id: idAt(timestamp),
      channelId: ((timestamp << 22n) | 18n).toString(),
      name: `Shard ${shardId} Guild`,
      description: `A guild routed to shard ${shardId} of ${shardCount}`,
      ownerId: SEED.users.alice,
      joinedAt: '2023-03-14T10:00:00+08:00',
    });
  }

  /**
   * Adds a guild the bot has just joined: a "general" text channel, the owner (who must be a
   * known user) and the bot as members.
   */
  createGuild(spec: NewGuild): Guild {
    const owner = this.guilds.user(spec.ownerId);
    if (!owner) throw new Error(`unknown owner ${spec.ownerId}`);
    this.guilds.addGuild({
      id: spec.id,
      name: spec.name,
      icon: '',
      owner_id: spec.ownerId,
      owner: false,
      member_count: 0,
      max_members: 3000,
      description: spec.description,
      joined_at: spec.joinedAt,
    });
    this.guilds.putChannel({
      id: spec.channelId,
      guild_id: spec.id,
      name: 'general',
      type: 0,
      sub_type: 0,
      position: 1,
      parent_id: '0',
      owner_id: spec.ownerId,
      private_type: 0,
      speak_permission: 1,
      application_id: '0',
      permissions: '6',
    });
    const member = (userId: string, nick: string, role: string): MemberRecord => ({
      userId,
      nick,
      roles: [role],
      joinedAt: spec.joinedAt,
      mutedUntil: 0,
    });
    this.guilds.putMember(spec.id, member(spec.ownerId, owner.username, '4'));
    this.guilds.putMember(spec.id, member(this.bot.id, this.bot.username, '2'));
    const guild = this.guilds.guild(spec.id);
    if (!guild) throw new Error('guild vanished while being created');
    return guild;
  }
}
