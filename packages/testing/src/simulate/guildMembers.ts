import type { PublishedEvent } from '../dispatch/routing.js';
import { EmulatorError } from '../EmulatorError.js';
import type { Member } from '../protocol/wire.js';
import type { MemberRecord } from '../state/GuildStore.js';
import { isoTimestamp } from '../util/time.js';
import { memberOf } from './guildLookup.js';
import type { SimulationContext } from './SimulationContext.js';

/**
 * Publishes a member event, which the bot may answer by `event_id` in any text channel of the
 * guild (docs/protocol.md §13).
 */
function answerableAnywhereInGuild(
  ctx: SimulationContext,
  t: 'GUILD_MEMBER_ADD' | 'GUILD_MEMBER_UPDATE' | 'GUILD_MEMBER_REMOVE',
  member: Member,
  guildId: string,
): PublishedEvent<Member> {
  const event = ctx.events.publish(t, member, { guildId });
  ctx.replies.registerGuildWide(event.id, guildId);
  return event;
}

/** A user joining or leaving a guild. */
export interface MemberChangeOptions {
  guildId?: string | undefined;
  /** Existing user id; for joins a new user is created when absent. */
  userId?: string | undefined;
  /** Name of a new user (joins only). */
  username?: string | undefined;
}

/** A member's nickname or roles being changed. */
export interface MemberUpdateOptions {
  guildId?: string | undefined;
  /** The member (must be in the guild). */
  userId: string;
  nick?: string | undefined;
  /** The member's role ids, replacing the current ones. */
  roles?: string[] | undefined;
  /** Who made the change (default: the member). */
  opUserId?: string | undefined;
}

/** GUILD_MEMBER_ADD: a user joins a guild (a new user unless `userId` names one). */
export function memberJoin(
  ctx: SimulationContext,
  options: MemberChangeOptions = {},
): PublishedEvent<Member> {
  const { world, ids } = ctx;
  const guildId = options.guildId ?? world.defaults.guildId;
  if (!world.guilds.guild(guildId)) throw new EmulatorError(`unknown guild ${guildId}`);
  const userId = options.userId ?? ids.snowflake();
  if (!world.guilds.user(userId)) {
    world.guilds.putUser({
      id: userId,
      username: options.username ?? `user-${userId.slice(-4)}`,
      avatar: `https://thirdqq.qlogo.cn/g?b=oidb&k=${userId}&s=100`,
      bot: false,
    });
  }
  if (world.guilds.memberRecord(guildId, userId))
    throw new EmulatorError(`user ${userId} is already a member of guild ${guildId}`);
  const record: MemberRecord = {
    userId,
    nick: world.guilds.user(userId)?.username ?? '',
    roles: ['1'],
    joinedAt: isoTimestamp(),
    mutedUntil: 0,
  };
  world.guilds.putMember(guildId, record);
  return answerableAnywhereInGuild(
    ctx,
    'GUILD_MEMBER_ADD',
    { ...world.guilds.memberWire(guildId, record), guild_id: guildId, op_user_id: userId },
    guildId,
  );
}

/** GUILD_MEMBER_REMOVE: a user leaves a guild. */
export function memberLeave(
  ctx: SimulationContext,
  options: MemberChangeOptions & { userId: string },
): PublishedEvent<Member> {
  const { world } = ctx;
  const guildId = options.guildId ?? world.defaults.guildId;
  const record = world.guilds.removeMember(guildId, options.userId);
  if (!record) throw new EmulatorError(`user ${options.userId} is not a member of guild ${guildId}`);
  return answerableAnywhereInGuild(
    ctx,
    'GUILD_MEMBER_REMOVE',
    { ...world.guilds.memberWire(guildId, record), guild_id: guildId, op_user_id: options.userId },
    guildId,
  );
}

/** GUILD_MEMBER_UPDATE: a member's nickname or roles change. */
export function memberUpdate(ctx: SimulationContext, options: MemberUpdateOptions): PublishedEvent<Member> {
  const { world } = ctx;
  const guildId = options.guildId ?? world.defaults.guildId;
  const record = memberOf(ctx, guildId, options.userId);
  const opUserId = options.opUserId ?? options.userId;
  if (!world.guilds.user(opUserId)) throw new EmulatorError(`unknown user ${opUserId}`);
  const roles = world.guilds.rolesOf(guildId);
  const unknownRole = options.roles?.find((id) => !roles?.has(id));
  if (unknownRole !== undefined) throw new EmulatorError(`guild ${guildId} has no role ${unknownRole}`);
  const updated: MemberRecord = {
    ...record,
    ...(options.nick === undefined ? {} : { nick: options.nick }),
    ...(options.roles === undefined ? {} : { roles: [...options.roles] }),
  };
  world.guilds.putMember(guildId, updated);
  return answerableAnywhereInGuild(
    ctx,
    'GUILD_MEMBER_UPDATE',
    { ...world.guilds.memberWire(guildId, updated), guild_id: guildId, op_user_id: opUserId },
    guildId,
  );
}
