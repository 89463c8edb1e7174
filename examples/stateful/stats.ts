import { defineKey } from '@bot/client';

/** What the bot remembers of one person. */
export interface UserStats {
  /** Messages received from them, commands included. */
  messages: number;
  /** When their first message arrived. */
  firstSeen: Date;
  /** When their latest message arrived. */
  lastSeen: Date;
  /** When the message before the latest arrived; `undefined` after their first. */
  previousSeen: Date | undefined;
}

/**
 * Per-user statistics. Keys name a person in one scene (`guild:<user id>`, `group:<member
 * openid>`, `c2c:<user openid>`): the platform gives the same person different ids in guilds,
 * in each group and in C2C, so a bot cannot tell they are one.
 */
export class StatsBook {
  readonly #users = new Map<string, UserStats>();

  /**
   * Counts a message from `user`.
   *
   * @param user - the person's key
   * @param at - when the message arrived
   * @returns their statistics, this message included
   */
  public record(user: string, at: Date): Readonly<UserStats> {
    const known = this.#users.get(user);
    const stats: UserStats = known
      ? {
          messages: known.messages + 1,
          firstSeen: known.firstSeen,
          lastSeen: at,
          previousSeen: known.lastSeen,
        }
      : { messages: 1, firstSeen: at, lastSeen: at, previousSeen: undefined };
    this.#users.set(user, stats);
    return stats;
  }

  /** The statistics of `user`, or `undefined` before their first message. */
  public get(user: string): Readonly<UserStats> | undefined {
    return this.#users.get(user);
  }

  /** How many people have written to the bot. */
  public get people(): number {
    return this.#users.size;
  }

  /** How many messages the bot has received in all. */
  public get messages(): number {
    let total = 0;
    for (const stats of this.#users.values()) total += stats.messages;
    return total;
  }
}

/** The client's data map holds one {@link StatsBook}, shared by every handler and shard. */
export const Stats = defineKey<StatsBook>('stats');

/** When the bot started, for `!uptime`. */
export const Uptime = defineKey<{ startedAt: Date }>('uptime');
