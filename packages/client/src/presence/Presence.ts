import type { Presence } from '@bot/gateway';

export type { Presence };

/** Online status a bot asks to be shown with. */
export type OnlineStatus = Presence['status'];

/** What a bot is shown doing: a name and a platform-defined activity type number. */
export type Activity = NonNullable<Presence['activity']>;

/**
 * The presence a client starts with. The QQ platform has no presence opcode today, so the gateway
 * keeps it without sending it (and says so in a debug line); a platform that supports presence gets
 * it with no change to bots.
 */
export const DEFAULT_PRESENCE: Presence = Object.freeze({ status: 'online' });
