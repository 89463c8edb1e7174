/** One day in ms: the default period of the session start budget and of the upload quota. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** China Standard Time, the offset the platform writes its timestamps in. */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An ISO 8601 timestamp with the `+08:00` offset the platform uses, e.g. `2024-06-20T16:22:29+08:00`. */
export function isoTimestamp(at: number = Date.now()): string {
  return `${new Date(at + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** Unix time in whole seconds. */
export function unixSeconds(at: number = Date.now()): number {
  return Math.floor(at / 1000);
}
