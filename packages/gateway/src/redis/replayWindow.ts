/*
 * How long a crashed process's sessions stay resumable, and how long the publisher must remember
 * event ids for the replay of such a resume to add no duplicates. The two are tied: a resume
 * replays the events after the stored sequence number, and the publisher drops a replayed event
 * only while its id is still marked.
 */

/** How long a stored session outlives the last sign of its process by default: 15 minutes. */
export const DEFAULT_SESSION_TTL_MS = 15 * 60_000;

/**
 * How long before a process died an event it had published can have been, and still be replayed
 * when its sessions resume: the stored sequence number trails the confirmed publishes by the
 * shard's seq flush delay (5 s by default) plus the retries of a publish. One minute covers both.
 */
export const REPLAY_MARGIN_MS = 60_000;

/**
 * The publisher's default dedupe window: the session TTL plus the replay margin, so every event a
 * resumed session can replay is still known when it comes again.
 */
export const DEFAULT_DEDUPE_WINDOW_MS = DEFAULT_SESSION_TTL_MS + REPLAY_MARGIN_MS;
