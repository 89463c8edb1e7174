import type { DmsSession } from '../protocol/wire.js';

/** A DM session between the bot and one guild member. */
export interface DmRecord {
  session: DmsSession;
  userId: string;
  sourceGuildId: string;
}

/**
 * Direct-message sessions, keyed by their DM guild id.
 */
export class DirectMessageStore {
  readonly #byGuild = new Map<string, DmRecord>();

  /** Stores a DM session. */
  add(record: DmRecord): void {
    this.#byGuild.set(record.session.guild_id, record);
  }

  /** A DM session by its DM guild id. */
  byGuild(guildId: string): DmRecord | undefined {
    return this.#byGuild.get(guildId);
  }

  /** The session already open with a user from a source guild. */
  byUser(userId: string, sourceGuildId: string): DmRecord | undefined {
    for (const record of this.#byGuild.values()) {
      if (record.userId === userId && record.sourceGuildId === sourceGuildId) return record;
    }
    return undefined;
  }

  /** Every DM session. */
  all(): DmRecord[] {
    return [...this.#byGuild.values()];
  }
}
