/**
 * A duration as a refusal report says it: whole seconds from one second on, milliseconds below.
 *
 * @param ms - the duration, in ms
 */
export function reportDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}
