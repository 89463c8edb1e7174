import type { Channel, Guild, User } from '../protocol/wire.js';
import type { World } from './World.js';

/**
 * The seed world: four guilds spread over shards 0–3 (for 4 shards; 0–1 for 2), a DM, two groups
 * and two C2C users. Ids are fixed so tests and docs can name them.
 */

/** Milliseconds after the snowflake epoch of the first seed id; a multiple of 12 so guild i lands on shard i % n for n ∈ {1,2,3,4,6,12}. */
const BASE = 252_000_000_000n;

/** A snowflake id from a timestamp offset and a low-bits increment. */
function seedId(offset: number, increment = 1): string {
  return (((BASE + BigInt(offset)) << 22n) | BigInt(increment)).toString();
}

/** Fixed ids of the seed world. */
export const SEED = {
  botId: seedId(500),
  users: {
    alice: seedId(100),
    bob: seedId(101),
    carol: seedId(102),
    dave: seedId(103),
  },
  guilds: [seedId(0, 17), seedId(1, 17), seedId(2, 17), seedId(3, 17)] as const,
  channels: {
    hallGeneral: seedId(1000),
    hallAnnouncements: seedId(1001),
    hallVoice: seedId(1002),
    hallForum: seedId(1003),
    loungeGeneral: seedId(1010),
    loungeVoice: seedId(1011),
    studyGeneral: seedId(1020),
    musicGeneral: seedId(1030),
    musicLive: seedId(1031),
  },
  dm: { guildId: seedId(2000), channelId: seedId(2001) },
  groups: {
    bookClub: 'B7D3F2A1C4E5469A8B0C1D2E3F405162',
    hiking: 'A1C2E3F405162738495A6B7C8D9E0F12',
  },
  groupMembers: {
    erin: '5F1E2D3C4B5A69788796A5B4C3D2E1F0',
    frank: '0F1E2D3C4B5A69788796A5B4C3D2E1FA',
    grace: '9A8B7C6D5E4F30211203F4E5D6C7B8A9',
    heidi: '3C4D5E6F708192A3B4C5D6E7F8091A2B',
    ivan: '7E6D5C4B3A29180716253443526170FE',
  },
  c2cUsers: {
    judy: 'E4F4AEA33253A2797FB897C50B81D7ED',
    mallory: 'D2C3B4A5968778695A4B3C2D1E0F1A2B',
  },
} as const;

const JOINED_AT = '2023-03-14T10:00:00+08:00';

function user(id: string, username: string, bot = false): User {
  return { id, username, avatar: `https://thirdqq.qlogo.cn/g?b=oidb&k=${id}&s=100`, bot };
}

function guild(id: string, name: string, ownerId: string, description: string): Guild {
  return {
    id,
    name,
    icon: `https://groupprohead.gtimg.cn/${id}/100`,
    owner_id: ownerId,
    owner: false,
    member_count: 0,
    max_members: 3000,
    description,
    joined_at: JOINED_AT,
  };
}

function channel(
  id: string,
  guildId: string,
  name: string,
  type: number,
  position: number,
  ownerId: string,
): Channel {
  return {
    id,
    guild_id: guildId,
    name,
    type,
    sub_type: 0,
    position,
    parent_id: '0',
    owner_id: ownerId,
    private_type: 0,
    speak_permission: 1,
    application_id: '0',
    permissions: '6',
  };
}

/** Fills an empty world with the seed data. */
export function seedWorld(world: World): void {
  const { users, guilds, channels } = SEED;
  const store = world.guilds;
  for (const u of [
    user(SEED.botId, 'emulator-bot', true),
    user(users.alice, 'Alice'),
    user(users.bob, 'Bob'),
    user(users.carol, 'Carol'),
    user(users.dave, 'Dave'),
  ]) {
    store.putUser(u);
  }

  const [hall, lounge, study, music] = guilds;
  store.addGuild(guild(hall, 'Emulator Hall', users.alice, 'Where the emulator lives'));
  store.addGuild(guild(lounge, 'Gaming Lounge', users.bob, 'Late-night games'));
  store.addGuild(guild(study, 'Study Group', users.carol, 'Exam preparation'));
  store.addGuild(guild(music, 'Music Room', users.dave, 'Share what you listen to'));

  for (const c of [
    channel(channels.hallGeneral, hall, 'general', 0, 1, users.alice),
    channel(channels.hallAnnouncements, hall, 'announcements', 0, 2, users.alice),
    channel(channels.hallVoice, hall, 'voice', 2, 3, users.alice),
    channel(channels.hallForum, hall, 'forum', 10007, 4, users.alice),
    channel(channels.loungeGeneral, lounge, 'general', 0, 1, users.bob),
    channel(channels.loungeVoice, lounge, 'voice', 2, 2, users.bob),
    channel(channels.studyGeneral, study, 'general', 0, 1, users.carol),
    channel(channels.musicGeneral, music, 'general', 0, 1, users.dave),
    channel(channels.musicLive, music, 'live', 10005, 2, users.dave),
  ]) {
    store.putChannel(c);
  }

  const member = (guildId: string, userId: string, nick: string, roles: string[]): void =>
    store.putMember(guildId, { userId, nick, roles, joinedAt: JOINED_AT, mutedUntil: 0 });
  member(hall, users.alice, 'Alice', ['4']);
  member(hall, users.bob, 'Bob', ['1', '10001']);
  member(hall, users.carol, 'Carol', ['1']);
  member(lounge, users.bob, 'Bob', ['4']);
  member(lounge, users.carol, 'Carol', ['1']);
  member(study, users.carol, 'Carol', ['4']);
  member(study, users.dave, 'Dave', ['1']);
  member(music, users.dave, 'Dave', ['4']);
  member(music, users.alice, 'Alice', ['1']);
  for (const g of guilds) member(g, SEED.botId, 'emulator-bot', ['2']);
  store.rolesOf(hall)?.set('10001', {
    id: '10001',
    name: 'Moderators',
    color: 4294927682,
    hoist: 1,
    number: 1,
    member_limit: 50,
  });

  world.dms.add({
    session: { guild_id: SEED.dm.guildId, channel_id: SEED.dm.channelId, create_time: '1678759200' },
    userId: users.alice,
    sourceGuildId: hall,
  });

  const { groupMembers: m } = SEED;
  world.open.groups.set(SEED.groups.bookClub, {
    groupOpenid: SEED.groups.bookClub,
    name: 'Book Club',
    memberOpenids: [m.erin, m.frank, m.grace],
    botPresent: true,
  });
  world.open.groups.set(SEED.groups.hiking, {
    groupOpenid: SEED.groups.hiking,
    name: 'Hiking Friends',
    memberOpenids: [m.heidi, m.ivan],
    botPresent: true,
  });
  world.open.users.set(SEED.c2cUsers.judy, {
    userOpenid: SEED.c2cUsers.judy,
    unionOpenid: 'U0A1B2C3D4E5F60718293A4B5C6D7E8F',
    name: 'Judy',
    friend: true,
  });
  world.open.users.set(SEED.c2cUsers.mallory, {
    userOpenid: SEED.c2cUsers.mallory,
    unionOpenid: 'U1F2E3D4C5B6A79881726354A5B6C7D8',
    name: 'Mallory',
    friend: true,
  });
}
