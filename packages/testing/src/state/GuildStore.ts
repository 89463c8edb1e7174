import type { Channel, Guild, Member, Role, User } from '../protocol/wire.js';

/** A member as stored: the user is referenced by id so renames show everywhere. */
export interface MemberRecord {
  userId: string;
  nick: string;
  roles: string[];
  joinedAt: string;
  /** Unix milliseconds until which the member is muted, 0 when not muted. */
  mutedUntil: number;
}

/** Who a channel permission override applies to. */
export type PermissionSubject = { kind: 'member'; id: string } | { kind: 'role'; id: string };

/** System role ids every guild has (全体成员, 管理员, 创建者, 子频道管理员). */
export const SYSTEM_ROLE_IDS = ['1', '2', '4', '5'] as const;

/**
 * Guilds with their channels, members, roles and channel permission overrides.
 */
export class GuildStore {
  readonly #users = new Map<string, User>();
  readonly #guilds = new Map<string, Guild>();
  readonly #channels = new Map<string, Channel>();
  readonly #members = new Map<string, Map<string, MemberRecord>>();
  readonly #roles = new Map<string, Map<string, Role>>();
  readonly #permissions = new Map<string, string>();
  /** Guild-wide mute: unix milliseconds until which everyone is muted. */
  readonly guildMutedUntil = new Map<string, number>();

  /** A guild user by id. */
  user(id: string): User | undefined {
    return this.#users.get(id);
  }

  /** Adds or replaces a guild user. */
  putUser(user: User): void {
    this.#users.set(user.id, user);
  }

  /** A guild by id. */
  guild(id: string): Guild | undefined {
    return this.#guilds.get(id);
  }

  /** Every guild, ordered by id. */
  allGuilds(): Guild[] {
    return [...this.#guilds.values()].sort((a, b) => compareIds(a.id, b.id));
  }

  /** A channel by id. */
  channel(id: string): Channel | undefined {
    return this.#channels.get(id);
  }

  /** Adds or replaces a channel. */
  putChannel(channel: Channel): void {
    this.#channels.set(channel.id, channel);
  }

  /** Removes a channel. */
  deleteChannel(id: string): void {
    this.#channels.delete(id);
  }

  /** Adds (or replaces) a guild and gives it the system roles. */
  addGuild(guild: Guild): void {
    this.#guilds.set(guild.id, guild);
    if (!this.#roles.has(guild.id)) {
      const roles = new Map<string, Role>();
      const names: Record<string, string> = {
        '1': '全体成员',
        '2': '管理员',
        '4': '创建者',
        '5': '子频道管理员',
      };
      for (const id of SYSTEM_ROLE_IDS) {
        roles.set(id, {
          id,
          name: names[id] ?? id,
          color: 4278245297,
          hoist: id === '1' ? 0 : 1,
          number: 0,
          member_limit: 1000,
        });
      }
      this.#roles.set(guild.id, roles);
      this.#members.set(guild.id, new Map());
    }
  }

  /** Removes a guild and everything in it. */
  deleteGuild(guildId: string): void {
    this.#guilds.delete(guildId);
    this.#roles.delete(guildId);
    this.#members.delete(guildId);
    for (const channel of this.channelsOf(guildId)) this.#channels.delete(channel.id);
  }

  /** The channels of a guild in position order. */
  channelsOf(guildId: string): Channel[] {
    return [...this.#channels.values()]
      .filter((c) => c.guild_id === guildId)
      .sort((a, b) => a.position - b.position);
  }

  /** Adds or updates a member; counts it into the guild's member_count. */
  putMember(guildId: string, record: MemberRecord): void {
    const members = this.#members.get(guildId);
    if (!members) return;
    members.set(record.userId, record);
    this.#refreshMemberCount(guildId);
  }

  /** Removes a member; returns the removed record. */
  removeMember(guildId: string, userId: string): MemberRecord | undefined {
    const members = this.#members.get(guildId);
    const record = members?.get(userId);
    if (!members || !record) return undefined;
    members.delete(userId);
    this.#refreshMemberCount(guildId);
    return record;
  }

  /** A member record, if the user is in the guild. */
  memberRecord(guildId: string, userId: string): MemberRecord | undefined {
    return this.#members.get(guildId)?.get(userId);
  }

  /** All member records of a guild, ordered by user id as the platform pages them. */
  memberRecords(guildId: string): MemberRecord[] {
    const members = [...(this.#members.get(guildId)?.values() ?? [])];
    return members.sort((a, b) => compareIds(a.userId, b.userId));
  }

  /** The wire form of a member. */
  memberWire(guildId: string, record: MemberRecord): Member {
    const user = this.#users.get(record.userId);
    return {
      ...(user ? { user } : {}),
      nick: record.nick,
      roles: [...record.roles],
      joined_at: record.joinedAt,
    };
  }

  /** The roles of a guild. */
  rolesOf(guildId: string): Map<string, Role> | undefined {
    return this.#roles.get(guildId);
  }

  /** The permission bits (decimal string) of a channel override, "0" when none was set. */
  permissions(channelId: string, subject: PermissionSubject): string {
    return this.#permissions.get(permissionKey(channelId, subject)) ?? '0';
  }

  /** Replaces the permission bits of a channel override. */
  setPermissions(channelId: string, subject: PermissionSubject, bits: bigint): void {
    this.#permissions.set(permissionKey(channelId, subject), bits.toString());
  }

  #refreshMemberCount(guildId: string): void {
    const guild = this.#guilds.get(guildId);
    if (guild) guild.member_count = this.#members.get(guildId)?.size ?? 0;
  }
}

function permissionKey(channelId: string, subject: PermissionSubject): string {
  return `${channelId}:${subject.kind}:${subject.id}`;
}

/** Orders numeric string ids as numbers (they exceed 2^53, so compare as BigInt). */
export function compareIds(a: string, b: string): number {
  const left = toBigInt(a);
  const right = toBigInt(b);
  if (left === undefined || right === undefined) return a < b ? -1 : a > b ? 1 : 0;
  return left < right ? -1 : left > right ? 1 : 0;
}

function toBigInt(id: string): bigint | undefined {
  return /^\d+$/.test(id) ? BigInt(id) : undefined;
}
