import { intentForEvent } from '../protocol/intents.js';
import { shardForGuild } from '../util/ids.js';

/** An event as the emulator publishes it, before a session numbers it. */
export interface PublishedEvent<D = unknown> {
  /** Event id (the envelope's `id`). */
  id: string;
  /** Event name. */
  t: string;
  d: D;
}

/** Where an event belongs, for shard routing. */
export interface EventRouting {
  /** The guild of a guild event: routed to shard `(guild_id >> 22) % shard_count`. */
  guildId?: string | undefined;
}

/**
 * Whether a session with `shard` and `intents` receives an event. Guild events follow the guild
 * formula; group, C2C and other guild-less events go to shard 0 (the platform does not document
 * their spread, so the emulator picks the one rule a bot can always satisfy).
 */
export function sessionReceives(
  event: PublishedEvent,
  routing: EventRouting,
  shard: readonly [number, number],
  intents: number,
): boolean {
  const intent = intentForEvent(event.t);
  if (intent !== undefined && (intents & intent) === 0) return false;
  const [shardId, shardCount] = shard;
  const target =
    routing.guildId !== undefined && /^\d+$/.test(routing.guildId)
      ? shardForGuild(routing.guildId, shardCount)
      : 0;
  return target === shardId;
}
