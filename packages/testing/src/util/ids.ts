import { randomBytes, randomUUID } from 'node:crypto';

/** Milliseconds since 2015-01-01, the epoch QQ snowflake ids count from. */
const SNOWFLAKE_EPOCH = 1_420_070_400_000n;

/**
 * Produces the identifiers the platform hands out, in their wire formats.
 * Snowflakes embed a timestamp above bit 22, exactly what shard routing shifts away.
 */
export class IdFactory {
  #increment = 0n;

  /** A 64-bit numeric string id (guild, channel, user, message ids in guilds). */
  snowflake(at: number = Date.now()): string {
    const timestamp = BigInt(at) - SNOWFLAKE_EPOCH;
    this.#increment = (this.#increment + 1n) & 0x3fffffn;
    return ((timestamp << 22n) | this.#increment).toString();
  }

  /** A 32-character upper-case hex openid (groups, group members, C2C users). */
  openid(): string {
    return randomBytes(16).toString('hex').toUpperCase();
  }

  /** A group / C2C message id (`ROBOT1.0_…`). */
  openMessageId(): string {
    return `ROBOT1.0_${randomBytes(24).toString('base64url')}`;
  }

  /** A guild message id: long lower-case hex, as the platform uses. */
  guildMessageId(): string {
    return randomBytes(32).toString('hex');
  }

  /** An event id as carried in the envelope's `id`: `<EVENT_NAME>:<random>`. */
  eventId(eventName: string): string {
    return `${eventName}:${randomBytes(20).toString('hex')}`;
  }

  /** A gateway session id. */
  sessionId(): string {
    return randomUUID();
  }

  /** An access token. */
  accessToken(): string {
    return randomBytes(30).toString('base64url');
  }

  /** A trace id for the `X-Tps-trace-Id` header. */
  traceId(): string {
    return randomBytes(16).toString('hex');
  }

  /** An opaque random token such as an audit id or file uuid. */
  opaque(bytes = 16): string {
    return randomBytes(bytes).toString('hex');
  }
}

/**
 * The most shards the emulator serves (`shards`, `world.guildsOnEveryShard`): the gateway's own
 * bound on a bot's shard count (`MAX_SHARD_COUNT` of @bot/gateway), which a bot cannot go past.
 */
export const MAX_EMULATOR_SHARDS = 10_000;

/** The shard a guild's events go to: `(guild_id >> 22) % shard_count` (docs/protocol.md §5.1). */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
